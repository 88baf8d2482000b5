// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Spring ${placeholders} are what these tests are about.
import { describe, expect, it } from 'vitest';
import { redactValues } from '../../../src/camunda/redact-values.js';

describe('redactValues', () => {
  it('drops secret-keyed strings, env-style secrets and Secret data; keeps references and the rest', () => {
    const r = redactValues({
      identity: {
        firstUser: { password: 'demo', existingSecretKey: 'identity-firstuser-password' },
        env: [
          { name: 'SPRING_DATASOURCE_PASSWORD', value: 'pw1' },
          { name: 'SPRING_DATASOURCE_URL', value: 'jdbc:postgresql://h/db?password=pw2&ssl=true' },
          { name: 'X_PASSWORD', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
        ],
      },
      global: {
        license: { key: 'LIC' },
        opensearch: { auth: { secret: { inlineSecret: 'pw3', existingSecretKey: 'k' } } },
      },
      legacy: { existingSecret: 'plain-client-secret-in-8.7' },
      secret: { apiVersion: 'v1', kind: 'Secret', data: { password: 'cHc0' } },
      placeholder: { password: '${VALUES_PASSWORD:}' },
    });
    const text = JSON.stringify(r.value);
    for (const s of ['demo', 'pw1', 'pw2', 'LIC', 'pw3', 'plain-client-secret', 'cHc0'])
      expect(text).not.toContain(s);
    for (const s of ['identity-firstuser-password', 'ssl=true', 'secretKeyRef', '${VALUES_PASSWORD:}'])
      expect(text).toContain(s);
    expect(r.paths).toEqual(
      expect.arrayContaining([
        'identity.firstUser.password',
        'identity.env[0].value',
        'identity.env[1].value',
        'global.license.key',
        'secret.data',
      ]),
    );
  });
});
