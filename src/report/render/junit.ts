import { redact } from '../../lib/redact.js';
import { docsLink } from '../docs-link.js';
import { plainFix } from '../fix-markup.js';
import { ignoredStatus } from '../ignore-findings.js';
import type { ReportSet } from '../report-set.js';
import type { FailOn } from '../summary.js';
import type { CheckResult, Finding } from '../types.js';
import { visible } from './visible.js';

/**
 * JUnit XML for test report panels (GitLab, Jenkins, GitHub test reporters): a test suite per report,
 * a test case per check. A check fails when one of its findings fails (or warns, with --fail-on warn),
 * and the failure carries each such finding's code, message, fix and documentation link; an errored
 * check is an error, a skipped one skipped. What else the check found is in its system-out. Findings
 * about the set itself are a suite of their own. Every value is shown escaped (no control characters,
 * which XML 1.0 cannot carry anyway) and XML-quoted.
 */
export function renderJunit(set: ReportSet, failOn: FailOn = 'fail'): string {
  const fails = (f: Finding) => f.status === 'fail' || (failOn === 'warn' && f.status === 'warn');
  const suites: string[] = [];
  const total = { tests: 0, failures: 0, errors: 0, skipped: 0, ms: 0 };
  for (const e of set.entries) {
    const cases = e.report.checks.map((c) => testCase(c, e.name, fails));
    const count = {
      tests: cases.length,
      failures: cases.filter((c) => c.outcome === 'failure').length,
      errors: cases.filter((c) => c.outcome === 'error').length,
      skipped: cases.filter((c) => c.outcome === 'skipped').length,
    };
    total.tests += count.tests;
    total.failures += count.failures;
    total.errors += count.errors;
    total.skipped += count.skipped;
    total.ms += e.report.durationMs;
    const ctx = e.report.context;
    const props = [
      ['mechanism', ctx.mechanism],
      ['roleArn', ctx.roleArn],
      ['region', ctx.region],
      ['pod', ctx.pod],
      ['node', ctx.node],
      ['verdict', e.report.verdict],
    ].filter((p): p is [string, string] => p[1] !== undefined);
    suites.push(
      `  <testsuite name="${attr(e.name)}" tests="${count.tests}" failures="${count.failures}" errors="${count.errors}" skipped="${count.skipped}" time="${seconds(e.report.durationMs)}" timestamp="${attr(e.report.startedAt)}">`,
      '    <properties>',
      ...props.map(([k, v]) => `      <property name="${k}" value="${attr(v)}"/>`),
      '    </properties>',
      ...cases.flatMap((c) => c.xml),
      '  </testsuite>',
    );
  }
  if (set.findings.length > 0) {
    const failing = set.findings.filter(fails);
    total.tests += set.findings.length;
    total.failures += failing.length;
    suites.push(
      `  <testsuite name="irsa-doctor" tests="${set.findings.length}" failures="${failing.length}" errors="0" skipped="0" time="0">`,
      ...set.findings.flatMap((f) => {
        const head = `    <testcase name="${attr(f.code)}" classname="irsa-doctor" time="0"`;
        if (!fails(f))
          return [`${head}>`, `      <system-out>${text(describe(f))}</system-out>`, '    </testcase>'];
        return [
          `${head}>`,
          `      <failure message="${attr(oneLine(f))}" type="${attr(f.code)}">${text(describe(f))}</failure>`,
          '    </testcase>',
        ];
      }),
      '  </testsuite>',
    );
  }
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="irsa-doctor" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" skipped="${total.skipped}" time="${seconds(total.ms)}">`,
    ...suites,
    '</testsuites>',
  ];
  return `${redact(xml.join('\n'))}\n`;
}

interface Case {
  outcome: 'passed' | 'failure' | 'error' | 'skipped';
  xml: string[];
}

function testCase(c: CheckResult, suite: string, fails: (f: Finding) => boolean): Case {
  const head = `    <testcase name="${attr(`${c.title} (${c.id})`)}" classname="${attr(`irsa-doctor.${suite}.${c.id}`)}" time="${seconds(c.durationMs)}">`;
  const failing = c.findings.filter(fails);
  const others = c.findings.filter((f) => !fails(f));
  const out =
    others.length > 0 ? [`      <system-out>${text(others.map(describe).join('\n\n'))}</system-out>`] : [];
  if (c.status === 'error')
    return {
      outcome: 'error',
      xml: [
        head,
        `      <error message="${attr(`${c.id} did not finish: ${c.error ?? 'it crashed'}`)}" type="CHECK-ERROR"/>`,
        ...out,
        '    </testcase>',
      ],
    };
  if (failing.length > 0)
    return {
      outcome: 'failure',
      xml: [
        head,
        `      <failure message="${attr(failing.map(oneLine).join('; '))}" type="${attr(failing[0]!.code)}">${text(failing.map(describe).join('\n\n'))}</failure>`,
        ...out,
        '    </testcase>',
      ],
    };
  if (c.status === 'skip')
    return {
      outcome: 'skipped',
      xml: [
        head,
        `      <skipped message="${attr(c.findings.map(oneLine).join('; '))}"/>`,
        ...out,
        '    </testcase>',
      ],
    };
  return { outcome: 'passed', xml: [head, ...out, '    </testcase>'] };
}

function oneLine(f: Finding): string {
  return `${f.code}: ${f.message}`;
}

/** A finding in full, as plain text: status, code, message, the fix and where the code is documented. */
function describe(f: Finding): string {
  const was = ignoredStatus(f);
  const lines = [
    `${f.status.toUpperCase()} ${visible(f.code)}${was ? ` (${was}, ignored by the user)` : ''}: ${visible(f.message)}`,
  ];
  // The fix's line breaks are the catalog template's; its values cannot add one.
  if (f.remediation) lines.push(`Fix: ${plainFix(f.remediation).split('\n').map(visible).join('\n')}`);
  lines.push(`Docs: ${visible(f.docs ?? docsLink(f.code))}`);
  return lines.join('\n');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** Element text (already shown escaped by describe): the XML specials quoted. */
function text(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value: one line, escaped, quoted for "..." . */
function attr(s: string): string {
  return visible(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
