import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../../src/report/build-report.js';
import { finding } from '../../../../src/report/finding.js';
import { ignoreFindings } from '../../../../src/report/ignore-findings.js';
import { renderJunit } from '../../../../src/report/render/junit.js';
import { renderMarkdown } from '../../../../src/report/render/markdown.js';
import { renderSarif } from '../../../../src/report/render/sarif.js';
import { setOfReport, setOfRuns } from '../../../../src/report/report-set.js';
import { runsDocument } from '../../../../src/report/runs-document.js';
import type { Report } from '../../../../src/report/types.js';
import { sarifErrors } from '../../../support/sarif-schema.js';

const HOSTILE = '\x1b]0;pwned\x07 <b>&"\' `| [x](http://e) CANARY http://u:CANARY-pw@h';

function report(sa = 'zeebe'): Report {
  return buildReport(
    new Date(0),
    1200,
    { mechanism: 'irsa', namespace: 'camunda', serviceAccount: sa, region: 'eu-west-1' },
    [
      {
        id: 'env',
        title: 'Environment',
        status: 'pass',
        durationMs: 2,
        findings: [finding('ENV-INJECTED', 'ok')],
      },
      {
        id: 'sts',
        title: 'STS',
        status: 'fail',
        durationMs: 130,
        findings: [
          finding('STS-TRUST-POLICY', `denied ${HOSTILE}`, {
            fix: { roleName: 'app', trustPolicy: JSON.stringify({ Version: '2012-10-17' }, null, 2) },
          }),
        ],
      },
      {
        id: 'imds',
        title: 'IMDS',
        status: 'warn',
        durationMs: 12,
        findings: [finding('IMDS-REACHABLE', 'IMDS answers', { fix: { instance: 'i-1' } })],
      },
      {
        id: 'pod-identity',
        title: 'Pod Identity',
        status: 'skip',
        durationMs: 0,
        findings: [finding('PODID-SKIPPED', 'not used')],
      },
      {
        id: 'chain',
        title: 'Chain',
        status: 'error',
        durationMs: 20000,
        findings: [],
        error: `stuck ${HOSTILE}`,
      },
    ],
  );
}

const sweep = () =>
  setOfRuns(
    runsDocument(
      [
        {
          namespace: 'camunda',
          serviceAccount: 'zeebe',
          report: ignoreFindings(report(), new Set(['IMDS-REACHABLE'])),
        },
        { namespace: 'camunda', serviceAccount: 'operate', report: report('operate') },
      ],
      [
        finding('LAUNCH-SA-NOT-ANNOTATED', 'none here', {
          status: 'fail',
          variant: 'none',
          fix: { namespace: 'camunda' },
        }),
      ],
    ),
  );

describe('-o sarif', () => {
  it('is a valid SARIF 2.1.0 log: one rule per code with its docs link, a result per finding', () => {
    const log = JSON.parse(renderSarif(sweep()));
    expect(sarifErrors(log)).toEqual([]);
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('irsa-doctor');
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id).sort()).toEqual([
      'IMDS-REACHABLE',
      'LAUNCH-SA-NOT-ANNOTATED',
      'STS-TRUST-POLICY',
    ]);
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === 'STS-TRUST-POLICY');
    expect(rule.helpUri).toBe(
      'https://github.com/irsa-doctor/irsa-doctor/blob/main/docs/codes.md#sts-trust-policy',
    );
    const levels = run.results.map((r: { ruleId: string; level: string; suppressions?: unknown[] }) => [
      r.ruleId,
      r.level,
      Boolean(r.suppressions),
    ]);
    expect(levels).toEqual([
      ['STS-TRUST-POLICY', 'error', false],
      ['IMDS-REACHABLE', 'warning', true],
      ['STS-TRUST-POLICY', 'error', false],
      ['IMDS-REACHABLE', 'warning', false],
      ['LAUNCH-SA-NOT-ANNOTATED', 'error', false],
    ]);
    expect(run.results[0].locations[0].logicalLocations[0].fullyQualifiedName).toBe('camunda/zeebe');
    expect(run.results[0].message.text).toContain('Fix: Give role app a trust policy');
    expect(run.invocations[0].executionSuccessful).toBe(false);
    expect(run.invocations[0].toolExecutionNotifications).toHaveLength(2);
    expect(JSON.stringify(log)).not.toContain('CANARY-pw');
  });
});

describe('-o junit', () => {
  const parse = (xml: string) => {
    expect(XMLValidator.validate(xml)).toBe(true);
    return new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (n) => ['testsuite', 'testcase', 'property'].includes(n),
    }).parse(xml);
  };

  it('is well-formed JUnit XML: a suite per report, a case per check, failures carrying the fix', () => {
    const xml = renderJunit(sweep());
    expect(xml).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f]/);
    expect(xml).not.toContain('CANARY-pw');
    const doc = parse(xml);
    const suites = doc.testsuites.testsuite;
    expect(suites.map((s: { name: string }) => s.name)).toEqual([
      'camunda/zeebe',
      'camunda/operate',
      'irsa-doctor',
    ]);
    expect(doc.testsuites).toMatchObject({ tests: '11', failures: '3', errors: '2', skipped: '2' });
    const zeebe = suites[0];
    expect(zeebe).toMatchObject({ tests: '5', failures: '1', errors: '1', skipped: '1', time: '1.200' });
    const [env, sts, imds, podId, chain] = zeebe.testcase;
    expect(env.failure).toBeUndefined();
    expect(sts.failure.type).toBe('STS-TRUST-POLICY');
    expect(sts.failure['#text']).toContain('Fix: Give role app a trust policy');
    expect(sts.failure['#text']).toContain(
      'Docs: https://github.com/irsa-doctor/irsa-doctor/blob/main/docs/codes.md#sts-trust-policy',
    );
    expect(imds['system-out']).toContain('(warn, ignored by the user)');
    expect(podId.skipped).toBeDefined();
    expect(chain.error.type).toBe('CHECK-ERROR');
  });

  it('fails warnings too with --fail-on warn', () => {
    const doc = parse(renderJunit(setOfReport(report()), 'warn'));
    expect(doc.testsuites.testsuite[0].testcase[2].failure.type).toBe('IMDS-REACHABLE');
  });
});

describe('-o markdown', () => {
  it('a heading with the verdict, the checks table and a collapsible section per problem', () => {
    const md = renderMarkdown(setOfReport(report()));
    expect(md.split('\n')[0]).toBe('## ❌ irsa-doctor: FAIL for camunda/zeebe');
    expect(md).toContain('| ❌ | STS (`sts`) | 130 ms | `STS-TRUST-POLICY` |');
    expect(md).toContain(
      '<details><summary>❌ <code>STS-TRUST-POLICY</code>: denied \\x1b]0;pwned\\x07 &lt;b&gt;&amp;&quot;',
    );
    expect(md).toContain('```json\n{\n  "Version": "2012-10-17"\n}\n```');
    expect(md).toContain('**Fix:** Give role app');
    expect(md).toContain(
      '[STS-TRUST-POLICY in docs/codes.md](https://github.com/irsa-doctor/irsa-doctor/blob/main/docs/codes.md#sts-trust-policy)',
    );
    // A value cannot make a link, HTML or a table cell: escaped in Markdown, quoted in HTML (where
    // Markdown is not read).
    expect(md).toContain('\\[x\\](http://e)');
    for (const line of md.split('\n').filter((l) => l.includes('[x](http://e)')))
      expect(line.startsWith('<details><summary>')).toBe(true);
    expect(md).not.toContain('<b>');
    expect(md).not.toContain('CANARY-pw');
  });

  it('a sweep: one row per ServiceAccount, each report folded', () => {
    const md = renderMarkdown(sweep());
    expect(md).toContain('| ❌ | camunda/zeebe | fail | 2 | 0 | `STS-TRUST-POLICY` |');
    expect(md).toContain('<details><summary>❌ <b>camunda/operate</b>: fail</summary>');
    expect(md).toContain('(warn, ignored by the user)');
  });
});
