import { describe, expect, it } from 'vitest';
import { ignoreInCamunda } from '../../../src/camunda/camunda-document.js';
import { setOfCamunda } from '../../../src/camunda/camunda-report-set.js';
import { buildReport } from '../../../src/report/build-report.js';
import {
  type CamundaComponentEntry,
  type CamundaDocument,
  camundaVerdict,
  summarizeCamunda,
} from '../../../src/report/render/camunda.js';
import { addSummaries } from '../../../src/report/summary.js';
import type { Finding, FindingStatus, Report, Summary } from '../../../src/report/types.js';

const f = (code: string, status: FindingStatus): Finding => ({ code, status, message: `${code} seen` });

const report = (checks: Array<[string, Finding[]]>, mechanism: 'irsa' | 'pod-identity' = 'pod-identity') =>
  buildReport(
    new Date(0),
    10,
    { namespace: 'camunda', serviceAccount: 'sa', mechanism },
    checks.map(([id, findings]) => ({ id, title: id, status: 'pass', durationMs: 1, findings })),
  );

function component(name: string, findings: Finding[], rep?: Report, roleArn?: string): CamundaComponentEntry {
  return {
    name,
    workload: { kind: 'Deployment', name: `camunda-${name}` },
    running: name !== 'connectors',
    serviceAccount: `${name}-sa`,
    ...(roleArn ? { roleArn } : {}),
    targets: {},
    findings,
    verdict: camundaVerdict(findings, rep ? [rep] : []),
    ...(rep ? { report: rep } : {}),
  };
}

function doc(): CamundaDocument {
  const components = [
    component(
      'identity',
      [f('CAMUNDA-SA-MISSING', 'fail')],
      report([
        ['launcher', [f('LAUNCH-JOB-COMPLETED', 'pass')]],
        ['imds', [f('IMDS-REACHABLE', 'warn')]],
      ]),
    ),
    component(
      'orchestration',
      [f('CAMUNDA-COMPONENT-OK', 'pass')],
      report([['trust', [f('IAM-TRUST-OK', 'pass')]]], 'irsa'),
      'arn:aws:iam::1:role/os',
    ),
    component('connectors', [f('CAMUNDA-COMPONENT-OK', 'pass')], undefined, 'arn:aws:iam::1:role/c'),
    component('keycloak', [f('CAMUNDA-SA-NOT-ANNOTATED', 'warn')]),
  ];
  const findings = [f('CAMUNDA-RELEASE', 'info')];
  const all = [...findings, ...components.flatMap((c) => c.findings)];
  const reports = components.flatMap((c) => (c.report ? [c.report] : []));
  return {
    schemaVersion: 1,
    tool: { name: 'irsa-doctor', version: '0.0.0' },
    startedAt: new Date(0).toISOString(),
    durationMs: 5,
    namespace: 'camunda',
    release: null,
    components,
    findings,
    summary: summarizeCamunda(all, reports),
    verdict: camundaVerdict(all, reports),
  };
}

const ZERO: Summary = { pass: 0, info: 0, warn: 0, fail: 0, skip: 0, error: 0 };

describe('setOfCamunda', () => {
  it('each component is its configuration, then its agent run or its audit; the deployment findings are the set own', () => {
    const d = doc();
    const set = setOfCamunda(d);
    expect(set.subject).toBe('COMPONENT');
    expect(set.entries.map((e) => e.name)).toEqual([
      'identity: configuration',
      'identity: agent',
      'orchestration: configuration',
      'orchestration: audit',
      'connectors: configuration',
      'keycloak: configuration',
    ]);
    expect(set.entries[1]!.report).toBe(d.components[0]!.report);
    expect(set.findings).toBe(d.findings);
    expect(set.verdict).toBe('fail');
  });

  it('counts exactly what the document counts: the entries and the set findings add up to its summary', () => {
    const d = doc();
    const set = setOfCamunda(d);
    const own = summarizeCamunda(set.findings, []);
    expect(set.entries.reduce((s, e) => addSummaries(s, e.report.summary), addSummaries(ZERO, own))).toEqual(
      d.summary,
    );
    expect(set.summary).toEqual(d.summary);
  });

  it('a configuration report: one check `camunda` about the ServiceAccount, with the run mechanism when known', () => {
    const set = setOfCamunda(doc());
    const byName = (n: string) => set.entries.find((e) => e.name === n)!.report;
    const identity = byName('identity: configuration');
    expect(identity.checks.map((c) => [c.id, c.status, c.title])).toEqual([
      ['camunda', 'fail', 'Camunda configuration (Deployment/camunda-identity)'],
    ]);
    expect(identity.context).toEqual({
      namespace: 'camunda',
      serviceAccount: 'identity-sa',
      mechanism: 'pod-identity',
    });
    expect(identity.verdict).toBe('fail');
    expect(byName('connectors: configuration').context).toMatchObject({
      mechanism: 'irsa',
      roleArn: 'arn:aws:iam::1:role/c',
    });
    expect(byName('connectors: configuration').checks[0]!.title).toBe(
      'Camunda configuration (Deployment/camunda-connectors, not running)',
    );
    expect(byName('keycloak: configuration').context.mechanism).toBe('none');
  });
});

describe('ignoreInCamunda', () => {
  it('downgrades the codes wherever they are and recomputes every verdict and the totals', () => {
    const d = ignoreInCamunda(
      doc(),
      new Set(['CAMUNDA-SA-MISSING', 'IMDS-REACHABLE', 'CAMUNDA-SA-NOT-ANNOTATED']),
    );
    const identity = d.components[0]!;
    expect(identity.findings).toEqual([
      { ...f('CAMUNDA-SA-MISSING', 'info'), details: { ignored: { by: 'user', status: 'fail' } } },
    ]);
    expect(identity.report?.verdict).toBe('pass');
    expect(identity.verdict).toBe('pass');
    expect(d.components[3]!.verdict).toBe('pass');
    expect(d.verdict).toBe('pass');
    expect(d.summary).toMatchObject({ fail: 0, warn: 0, info: 4 });
  });

  it('no codes: the same document', () => {
    const d = doc();
    expect(ignoreInCamunda(d, new Set())).toBe(d);
  });
});
