import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../../src/report/build-report.js';
import { finding } from '../../../../src/report/finding.js';
import { renderJson } from '../../../../src/report/render/json.js';
import { renderRunsText } from '../../../../src/report/render/sweep.js';
import { renderText } from '../../../../src/report/render/text.js';
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

/** Lines that start like a finding line: the renderer's own, never one a value made. */
const findingLines = (text: string) => text.split('\n').filter((l) => /^\s+(PASS|FAIL|ERROR|WARN)\s/.test(l));

describe('text output shows every value escaped, its own layout intact', () => {
  it.each([false, true])('colour %s', (color) => {
    const text = renderText(hostileReport(), { color });
    const own = color ? text.replace(/\x1b\[[0-9;]*m/g, '') : text;
    expect(own).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    expect(text).toContain('\\x1b]0;pwned\\x07\\x1b[2J\\r  PASS  ALL-OK');
    // One line for the finding, one for the errored check: no value added a line.
    expect(findingLines(own).map((l) => l.trim().split(/\s+/)[1])).toEqual(['ARN-INVALID', 'CHECK-ERROR']);
  });

  it('the sweep table and its findings too', () => {
    const r = hostileReport();
    const text = renderRunsText(
      {
        schemaVersion: 1,
        runs: [{ namespace: `ns${HOSTILE}`, serviceAccount: 'sa', report: r }],
        findings: [finding('ARN-INVALID', `sweep ${HOSTILE}`, { fix: { suggestion: HOSTILE } })],
      },
      false,
    );
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    expect(text).toContain('ns\\x1b]0;pwned');
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
