import { describe, expect, it } from 'vitest';
import { parseToleration } from '../../../../src/launcher/args/parse-toleration.js';

describe('parseToleration', () => {
  it('tolerations the kubectl way', () => {
    expect(parseToleration('k=v:NoExecute')).toEqual({
      key: 'k',
      operator: 'Equal',
      value: 'v',
      effect: 'NoExecute',
    });
    expect(parseToleration('k:NoSchedule')).toEqual({ key: 'k', operator: 'Exists', effect: 'NoSchedule' });
    expect(parseToleration('k=v')).toEqual({ key: 'k', operator: 'Equal', value: 'v' });
    expect(parseToleration('node.kubernetes.io/unreachable')).toEqual({
      key: 'node.kubernetes.io/unreachable',
      operator: 'Exists',
    });
  });

  it('refuses what the API server would: an unknown effect, a bad key or value, nothing but an effect', () => {
    for (const bad of ['k=v:Sometimes', 'bad key=v', 'k=bad value', ':NoSchedule', 'k=v:'])
      expect(parseToleration(bad), bad).toBeUndefined();
  });
});
