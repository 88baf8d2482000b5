import { describe, expect, it } from 'vitest';
import { annotationBytes, annotationEntry, labelEntry } from '../../../../src/launcher/args/pod-metadata.js';

describe('--pod-label / --pod-annotation values', () => {
  it('labels: a qualified key and a label value, as kubectl label checks them', () => {
    expect(labelEntry('team=platform')).toEqual({ ok: true, key: 'team', value: 'platform' });
    expect(labelEntry('example.com/cost-center=a_b.c')).toEqual({
      ok: true,
      key: 'example.com/cost-center',
      value: 'a_b.c',
    });
    expect(labelEntry('empty=')).toEqual({ ok: true, key: 'empty', value: '' });
    expect(labelEntry('novalue').ok).toBe(false);
    expect(labelEntry('=x').ok).toBe(false);
    expect(labelEntry('Bad_Prefix.COM/x=y').ok).toBe(false);
    expect(labelEntry('k=has space').ok).toBe(false);
    expect(labelEntry(`k=${'v'.repeat(64)}`).ok).toBe(false);
  });

  it('labels the launcher or the Job controller sets cannot be changed', () => {
    for (const key of [
      'app.kubernetes.io/managed-by',
      'app.kubernetes.io/name',
      'job-name',
      'controller-uid',
    ]) {
      const r = labelEntry(`${key}=x`);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.problem).toContain('set by irsa-doctor or the Job controller');
    }
  });

  it('annotations: a qualified key, any value', () => {
    expect(annotationEntry('sidecar.istio.io/inject=false')).toEqual({
      ok: true,
      key: 'sidecar.istio.io/inject',
      value: 'false',
    });
    expect(annotationEntry('note=a=b c')).toEqual({ ok: true, key: 'note', value: 'a=b c' });
    expect(annotationEntry('bad key=x').ok).toBe(false);
    expect(annotationBytes({ ab: 'cde', f: 'ü' })).toBe(2 + 3 + 1 + 2);
  });
});
