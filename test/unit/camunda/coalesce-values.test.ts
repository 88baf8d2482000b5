import { describe, expect, it } from 'vitest';
import { coalesceValues } from '../../../src/camunda/coalesce-values.js';

describe('coalesceValues (Helm CoalesceValues)', () => {
  const defaults = {
    global: {
      opensearch: {
        enabled: false,
        aws: { enabled: false },
        url: { protocol: 'https', host: null, port: 443 },
      },
    },
    identity: { env: [{ name: 'A', value: '1' }], serviceAccount: { enabled: true, name: '' } },
    list: [1, 2, 3],
    scalar: 'x',
  };

  it('merges maps key by key, the user winning', () => {
    const v = coalesceValues(defaults, {
      global: { opensearch: { enabled: true, url: { host: 'os.example' } } },
    });
    expect(v.global).toEqual({
      opensearch: {
        enabled: true,
        aws: { enabled: false },
        url: { protocol: 'https', host: 'os.example', port: 443 },
      },
    });
  });

  it('replaces lists as a whole', () => {
    const v = coalesceValues(defaults, { identity: { env: [{ name: 'B', value: '2' }] }, list: [] });
    expect((v.identity as { env: unknown }).env).toEqual([{ name: 'B', value: '2' }]);
    expect(v.list).toEqual([]);
  });

  it('deletes a default key the user sets to null, and drops nulls in defaults', () => {
    const v = coalesceValues(defaults, { identity: { serviceAccount: { name: null } }, scalar: null });
    expect(v.identity).toEqual({ env: [{ name: 'A', value: '1' }], serviceAccount: { enabled: true } });
    expect('scalar' in v).toBe(false);
    expect((v.global as { opensearch: { url: object } }).opensearch.url).toEqual({
      protocol: 'https',
      port: 443,
    });
  });

  it('lets the user value win a type clash (map against scalar)', () => {
    expect(coalesceValues(defaults, { scalar: { a: 1 } }).scalar).toEqual({ a: 1 });
    expect(coalesceValues(defaults, { global: 'off' }).global).toBe('off');
  });

  it('keeps user keys the chart does not know, and does not modify its inputs', () => {
    const user = { extra: { deep: { k: 'v' } }, global: { opensearch: { enabled: true } } };
    const before = JSON.stringify([defaults, user]);
    const v = coalesceValues(defaults, user);
    expect(v.extra).toEqual({ deep: { k: 'v' } });
    expect(JSON.stringify([defaults, user])).toBe(before);
  });

  it('survives hostile nesting', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 500; i++) deep = { n: deep };
    expect(() => coalesceValues(deep, deep)).not.toThrow();
  });
});
