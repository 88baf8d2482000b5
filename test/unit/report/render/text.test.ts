import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../../src/report/build-report.js';
import { finding } from '../../../../src/report/finding.js';
import { ignoreFindings } from '../../../../src/report/ignore-findings.js';
import { renderJson } from '../../../../src/report/render/json.js';
import { renderSetText } from '../../../../src/report/render/sweep.js';
import { renderText } from '../../../../src/report/render/text.js';
import { setOfRuns } from '../../../../src/report/report-set.js';
import { runsDocument } from '../../../../src/report/runs-document.js';
import type { Report } from '../../../../src/report/types.js';

const HOSTILE = '\x1b]0;pwned\x07\x1b[2J\r  PASS  ALL-OK  all checks pass\n  PASS  X';

function hostileReport(): Report {
  const f = finding('ARN-INVALID', `AWS_ROLE_ARN ${HOSTILE} is not a valid IAM role ARN`, {
    fix: { suggestion: `arn:aws:iam::1:role/x${HOSTILE}`, namespace: 'camunda', serviceAccount: 'sa' },
  });
  return buildReport(
    new Date(0),
    5,
    { mechanism: 'irsa', roleArn: `arn:aws:iam::1:role/x${HOSTILE}`, namespace: `ns${HOSTILE}` },
    [
      { id: 'role-arn', title: 'Role ARN', status: 'fail', durationMs: 1, findings: [f] },
      { id: 'sts', title: 'STS', status: 'error', durationMs: 1, findings: [], error: `boom${HOSTILE}` },
    ],
  );
}

function healthyReport(): Report {
  return buildReport(new Date(0), 310, { mechanism: 'irsa', namespace: 'camunda', serviceAccount: 'zeebe' }, [
    {
      id: 'env',
      title: 'Environment',
      status: 'pass',
      durationMs: 2,
      findings: [finding('ENV-INJECTED', 'IRSA variables set')],
    },
    {
      id: 'pod-identity',
      title: 'Pod Identity',
      status: 'skip',
      durationMs: 0,
      findings: [finding('PODID-SKIPPED', 'not used')],
    },
    {
      id: 'imds',
      title: 'IMDS',
      status: 'warn',
      durationMs: 12,
      findings: [
        finding(
          'IMDS-REACHABLE',
          'IMDSv2 answers this pod at http://169.254.169.254: any process here can get node credentials.',
          { fix: { instance: 'i-0abc' } },
        ),
      ],
    },
  ]);
}

const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
/** Lines that start where the renderer starts its finding lines: the renderer's own, never a value's. */
const findingLines = (text: string) =>
  text.split('\n').filter((l) => /^ {6}(PASS|FAIL|ERROR|WARN|INFO)\s/.test(l));

describe('text output shows every value escaped, its own layout intact', () => {
  it.each([false, true])('colour %s', (color) => {
    const text = renderText(hostileReport(), { color, width: 60 });
    const own = plain(text);
    expect(own).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    expect(own).toContain('\\x1b]0;pwned\\x07\\x1b[2J\\r');
    // One line for the finding, one for the errored check: no value added one, and no wrapped line
    // starts with a status word a value brought.
    expect(findingLines(own).map((l) => l.trim().split(/\s+/)[1])).toEqual([
      'ARN-INVALID',
      'boom\\x1b]0;pwned\\x07\\x1b[2J\\r',
    ]);
    expect(own.split('\n').filter((l) => /^\s*PASS\s+(ALL-OK|X)\b/.test(l))).toEqual([]);
  });

  it('the sweep table and its findings too', () => {
    const r = hostileReport();
    const doc = runsDocument(
      [{ namespace: `ns${HOSTILE}`, serviceAccount: 'sa', report: r }],
      [finding('ARN-INVALID', `sweep ${HOSTILE}`, { fix: { suggestion: HOSTILE } })],
    );
    const text = renderSetText(setOfRuns(doc), { color: false });
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    expect(text).toContain('ns\\x1b]0;pwned');
  });
});

describe('text layout', () => {
  it('one line per passing or skipped check, the others in full, a problems recap, the verdict', () => {
    const text = renderText(healthyReport(), { color: false, width: 80 });
    const lines = text.split('\n');
    expect(lines.find((l) => l.startsWith('PASS  Environment'))).toMatch(
      /^PASS {2}Environment\s+2 ms {2}\[env\]$/,
    );
    expect(lines.find((l) => l.startsWith('SKIP'))).toMatch(/^SKIP {2}Pod Identity\s+0 ms/);
    expect(text).not.toContain('ENV-INJECTED');
    expect(text).toContain('      WARN  IMDS-REACHABLE  IMDSv2 answers');
    // The fix's command on lines of its own, split between arguments with shell continuations.
    const at = lines.findIndex((l) => l.trim().startsWith('aws ec2'));
    expect(lines.slice(at, at + 2)).toEqual([
      '               aws ec2 modify-instance-metadata-options --instance-id i-0abc \\',
      '                   --http-put-response-hop-limit 1',
    ]);
    const problems = lines.indexOf('Problems:');
    expect(lines[problems + 1]).toMatch(/^ {2}WARN {2}IMDS-REACHABLE {2}IMDSv2 answers/);
    // The first line of the fix as the finding shows it: never cut inside the command that follows.
    expect(lines[problems + 2]).toBe('        Fix: Set the node metadata hop limit to 1:');
    expect(lines[problems + 3]).toBe('');
    expect(lines.at(-2)).toBe('Verdict: WARN (1 pass, 0 info, 1 warn, 0 fail, 1 skip, 0 error) in 310 ms');
    // Prose stays within the width; only whole commands may run past it.
    for (const l of lines) if (!l.includes('aws ec2')) expect(l.length, l).toBeLessThanOrEqual(80);
  });

  it('keeps titles whole where they and the ids do not both fit, and drops the ids', () => {
    const r = healthyReport();
    r.checks[0]!.title = 'Credentials environment (IRSA / Pod Identity) and what shadows it';
    const narrow = renderText(r, { color: false, width: 80 }).split('\n');
    expect(narrow).toContainEqual(expect.stringMatching(/^PASS {2}Credentials .* shadows it\s+2 ms$/));
    expect(narrow.join('\n')).not.toContain('[env]');
    const wide = renderText(r, { color: false, width: 120 }).split('\n');
    expect(wide).toContainEqual(
      expect.stringMatching(/^PASS {2}Credentials .* shadows it\s+2 ms {2}\[env\]$/),
    );
  });

  it('-v shows every finding, passes and skips too', () => {
    const text = renderText(healthyReport(), { color: false, verbose: true });
    expect(text).toContain('      PASS  ENV-INJECTED  IRSA variables set');
    expect(text).toContain('      SKIP  PODID-SKIPPED  not used');
  });

  it('shows an ignored finding as info, saying so, and leaves it out of the problems', () => {
    const text = renderText(ignoreFindings(healthyReport(), new Set(['IMDS-REACHABLE'])), { color: false });
    expect(text).toContain('INFO  IMDS-REACHABLE (WARN, ignored by the user)');
    expect(text).not.toContain('Problems:');
    expect(text).toContain('Verdict: PASS');
  });

  it('a sweep prints the reports first and the table last', () => {
    const doc = runsDocument([
      { namespace: 'camunda', serviceAccount: 'a', report: healthyReport() },
      { namespace: 'camunda', serviceAccount: 'b', report: hostileReport() },
    ]);
    const lines = renderSetText(setOfRuns(doc), { color: false }).trimEnd().split('\n');
    expect(lines[0]).toBe('==== camunda/a');
    const table = lines.findIndex((l) => l.startsWith('NAMESPACE/SERVICEACCOUNT'));
    expect(lines[table + 1]).toMatch(/^camunda\/a\s+WARN\s+0\s+1\s+-$/);
    expect(lines[table + 2]).toMatch(/^camunda\/b\s+FAIL\s+2\s+0\s+ARN-INVALID$/);
    expect(lines.at(-1)).toBe('Verdict: FAIL (2 checked: 1 fail, 1 warn, 0 pass)');
  });
});

describe('JSON output', () => {
  it('stays JSON that parses back to the exact values, with nothing a terminal would act on', () => {
    const r = hostileReport();
    r.checks[0]!.findings[0]!.message = `C1 \u009b2J and bidi \u202e${HOSTILE}`;
    const json = renderJson(r);
    expect(json).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/);
    expect((JSON.parse(json) as Report).checks[0]!.findings[0]!.message).toBe(
      `C1 \u009b2J and bidi \u202e${HOSTILE}`,
    );
  });
});
