import { describe, expect, it } from 'vitest';
import {
  bitnamiFullname,
  componentFullname,
  platformFullname,
  renderReleaseTemplate,
  truncName,
} from '../../../src/camunda/chart-names.js';

describe('chart naming rules', () => {
  it('componentFullname: <release>-<name>, the release alone when it contains the name, overrides first', () => {
    expect(componentFullname('camunda', 'identity')).toBe('camunda-identity');
    expect(componentFullname('identity-prod', 'identity')).toBe('identity-prod');
    expect(componentFullname('camunda', 'zeebe', { nameOverride: 'core' })).toBe('camunda-core');
    expect(componentFullname('camunda', 'zeebe', { fullnameOverride: 'broker', nameOverride: 'x' })).toBe(
      'broker',
    );
    expect(componentFullname('camunda', 'zeebe', { fullnameOverride: '', nameOverride: '' })).toBe(
      'camunda-zeebe',
    );
  });

  it('truncates to 63 characters and then drops one trailing dash', () => {
    const long = `${'a'.repeat(62)}-tail`;
    expect(truncName(long)).toBe('a'.repeat(62));
    expect(componentFullname('r'.repeat(70), 'identity')).toHaveLength(63);
    expect(truncName('abc-', 63)).toBe('abc');
    expect(`${truncName(`${'x'.repeat(54)}-yy`, 55)}-restapi`).toBe(`${'x'.repeat(54)}-restapi`);
  });

  it('platformFullname is the rule with camunda-platform', () => {
    expect(platformFullname('camunda')).toBe('camunda-camunda-platform');
    expect(platformFullname('camunda-platform-prod')).toBe('camunda-platform-prod');
    expect(platformFullname('x', { fullnameOverride: 'cp' })).toBe('cp');
  });

  it('bitnamiFullname lower-cases the release and collapses odd characters', () => {
    expect(bitnamiFullname('Camunda_Prod', 'keycloak')).toBe('camunda-prod-keycloak');
    expect(bitnamiFullname('camunda', 'keycloak', { nameOverride: 'kc' })).toBe('camunda-kc');
    expect(bitnamiFullname('my-keycloak', 'keycloak')).toBe('my-keycloak');
  });

  it('renders the release templates the chart defaults use, and refuses to guess others', () => {
    expect(renderReleaseTemplate('{{ .Release.Name }}-zeebe', { name: 'c8' })).toEqual({ value: 'c8-zeebe' });
    expect(
      renderReleaseTemplate('{{- .Release.Name -}}.{{ .Release.Namespace }}', {
        name: 'c8',
        namespace: 'ns',
      }),
    ).toEqual({
      value: 'c8.ns',
    });
    expect(renderReleaseTemplate('{{ .Values.global.host }}', { name: 'c8' })).toEqual({
      unresolved: '{{ .Values.global.host }}',
    });
    expect(renderReleaseTemplate('plain', { name: 'c8' })).toEqual({ value: 'plain' });
  });
});
