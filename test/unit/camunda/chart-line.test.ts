import { describe, expect, it } from 'vitest';
import { chartLineOf, chartLineOfLabel, lineAtLeast } from '../../../src/camunda/chart-line.js';

describe('chartLineOf', () => {
  it.each([
    [{ version: '12.13.3' }, '8.7'],
    [{ version: '13.12.7', appVersion: '8.8.x' }, '8.8'],
    [{ version: '14.8.4' }, '8.9'],
    [{ version: '15.0.0-alpha4' }, '8.10'],
    [{ version: '0.0.0', appVersion: '8.10.x' }, '8.10'],
    [{ version: '0.0.0-snapshot', appVersion: '8.9.0' }, '8.9'],
    [{ version: '11.0.1', appVersion: '8.6.x' }, undefined],
    [{}, undefined],
  ])('%o -> %s', (chart, line) => {
    expect(chartLineOf(chart)).toBe(line);
  });

  it('reads the helm.sh/chart label', () => {
    expect(chartLineOfLabel('camunda-platform-13.12.7')).toBe('8.8');
    expect(chartLineOfLabel('keycloak-24.9.1')).toBeUndefined();
    expect(chartLineOfLabel(undefined)).toBeUndefined();
  });
});

describe('lineAtLeast', () => {
  it('orders the lines as releases, not as strings (8.10 comes after 8.9)', () => {
    expect(lineAtLeast('8.10', '8.9')).toBe(true);
    expect(lineAtLeast('8.9', '8.9')).toBe(true);
    expect(lineAtLeast('8.8', '8.9')).toBe(false);
    expect(lineAtLeast('8.7', '8.9')).toBe(false);
  });
});
