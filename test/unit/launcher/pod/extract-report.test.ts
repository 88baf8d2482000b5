import { describe, expect, it } from 'vitest';
import { extractReport } from '../../../../src/launcher/pod/extract-report.js';
import { buildReport } from '../../../../src/report/build-report.js';
import { finding } from '../../../../src/report/finding.js';

const report = buildReport(
  new Date('2026-01-01T00:00:00Z'),
  12,
  { mechanism: 'irsa', roleArn: 'arn:aws:iam::111122223333:role/x' },
  [
    {
      id: 'env',
      title: 'Env {with braces} and "quotes"',
      status: 'pass',
      durationMs: 1,
      findings: [finding('ENV-INJECTED', 'a } b { c "d"')],
    },
  ],
);
const json = JSON.stringify(report, null, 2);

describe('extractReport', () => {
  it('finds the report among other log lines', () => {
    const log = `(node:1) Warning: something {odd}\nstarting\n${json}\ntrailing line\n`;
    const r = extractReport(log);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.report).toEqual(report);
  });

  it('accepts compact JSON and prefers the last report', () => {
    const second = { ...report, durationMs: 99 };
    const r = extractReport(`${JSON.stringify(report)}\n${JSON.stringify(second)}\n`);
    expect(r.ok && r.report.durationMs).toBe(99);
  });

  it('says truncated when the JSON never ends', () => {
    const r = extractReport(`hello\n${json.slice(0, json.length / 2)}`);
    expect(r).toMatchObject({ ok: false, reason: 'truncated' });
  });

  it('says empty / no-json for logs without a report', () => {
    expect(extractReport('')).toMatchObject({ ok: false, reason: 'empty' });
    expect(extractReport('exec /irsa-doctor: exec format error\n')).toMatchObject({
      ok: false,
      reason: 'no-json',
    });
  });

  it('rejects another schemaVersion and other shapes', () => {
    expect(extractReport(JSON.stringify({ ...report, schemaVersion: 2 }))).toMatchObject({
      ok: false,
      reason: 'schema-version',
    });
    expect(extractReport('{"level":"info","msg":"hi"}')).toMatchObject({ ok: false, reason: 'shape' });
    const badFinding = structuredClone(report);
    // biome-ignore lint/suspicious/noExplicitAny: corrupting on purpose.
    (badFinding.checks[0]!.findings[0] as any).status = 'great';
    expect(extractReport(JSON.stringify(badFinding))).toMatchObject({ ok: false, reason: 'shape' });
    const noVerdict = { ...report, verdict: undefined };
    expect(extractReport(JSON.stringify(noVerdict))).toMatchObject({ ok: false, reason: 'shape' });
  });
});
