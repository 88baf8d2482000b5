import type { V1ServiceAccount } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { sweepTargets } from '../../../src/launcher/run-all.js';
import { buildReport } from '../../../src/report/build-report.js';
import { renderRunsText } from '../../../src/report/render/sweep.js';

const sa = (namespace: string, name: string, roleArn?: string): V1ServiceAccount => ({
  metadata: {
    namespace,
    name,
    ...(roleArn !== undefined ? { annotations: { 'eks.amazonaws.com/role-arn': roleArn } } : {}),
  },
});

describe('sweepTargets: what run --all picks', () => {
  const items = [
    sa('b', 'plain'),
    sa('b', 'annotated', 'arn:aws:iam::111122223333:role/x'),
    sa('a', 'both', 'arn:aws:iam::111122223333:role/y'),
    sa('a', 'associated'),
    // An annotation with an empty value still asks for IRSA (and gets LAUNCH-SA-ARN-INVALID).
    sa('a', 'empty', ''),
  ];

  it('annotated ServiceAccounts only, without Pod Identity associations', () => {
    expect(sweepTargets(items).map((t) => `${t.namespace}/${t.name}:${t.mechanism}`)).toEqual([
      'a/both:irsa',
      'a/empty:irsa',
      'b/annotated:irsa',
    ]);
  });

  it('with associations: those too, each with its mechanism, sorted; an association alone adds nothing', () => {
    const associated = new Set(['a/both', 'a/associated', 'a/no-such-sa']);
    expect(sweepTargets(items, associated).map((t) => `${t.namespace}/${t.name}:${t.mechanism}`)).toEqual([
      'a/associated:pod-identity',
      'a/both:irsa+pod-identity',
      'a/empty:irsa',
      'b/annotated:irsa',
    ]);
  });
});

describe('the sweep table', () => {
  const report = buildReport(new Date(0), 1, { mechanism: 'irsa' }, []);
  const doc = (mechanism?: 'irsa' | 'pod-identity') => ({
    schemaVersion: 1 as const,
    runs: [{ namespace: 'a', serviceAccount: 'x', ...(mechanism ? { mechanism } : {}), report }],
  });

  it('has a MECHANISM column where the sweep knows it (run --all), none otherwise (audit --all)', () => {
    expect(renderRunsText(doc('pod-identity'), false).split('\n')[0]).toMatch(
      /^NAMESPACE\/SERVICEACCOUNT\s+MECHANISM\s+VERDICT/,
    );
    expect(renderRunsText(doc('pod-identity'), false).split('\n')[1]).toMatch(/^a\/x\s+pod-identity\s+PASS/);
    expect(renderRunsText(doc(), false).split('\n')[0]).toMatch(/^NAMESPACE\/SERVICEACCOUNT\s+VERDICT/);
  });
});
