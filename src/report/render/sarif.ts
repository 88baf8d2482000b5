import type { Log, Notification, ReportingDescriptor, Result } from 'sarif';
import { redactDeep } from '../../lib/redact.js';
import { TOOL_VERSION } from '../../version.js';
import { checksOf } from '../catalog/define.js';
import { specOf } from '../catalog/index.js';
import { fillTemplate } from '../catalog/template.js';
import { CODES_DOC_URL, docsLink } from '../docs-link.js';
import { plainFix } from '../fix-markup.js';
import { ignoredStatus } from '../ignore-findings.js';
import type { ReportSet } from '../report-set.js';
import type { Finding, FindingStatus, Report } from '../types.js';
import { jsonText } from './json.js';

const HOMEPAGE = 'https://github.com/irsa-doctor/irsa-doctor';

/** SARIF levels: a failing finding is an error, a warning a warning, information a note. */
const LEVEL: Partial<Record<FindingStatus, Result.level>> = { fail: 'error', warn: 'warning', info: 'note' };

/**
 * SARIF 2.1.0 (code scanning, e.g. GitHub's): one run of irsa-doctor, one rule per code that appears
 * (its title, cause, the catalog's fix and the link to its entry in docs/codes.md), one result per
 * finding that is not a pass or a skip, with the fix this run computed. A ServiceAccount is no file, so
 * each result's location is the ServiceAccount as a logical location and as the API path it lives at;
 * a finding the user ignored is a result with an accepted suppression. Checks that crashed are tool
 * execution notifications, and the invocation then did not succeed.
 */
export function renderSarif(set: ReportSet): string {
  const rules = new Map<string, ReportingDescriptor>();
  const results: Result[] = [];
  const notifications: Notification[] = [];
  const add = (f: Finding, where: Where | undefined, check: string | undefined) => {
    const was = ignoredStatus(f);
    const level = LEVEL[was ?? f.status];
    if (!level) return;
    if (!rules.has(f.code)) rules.set(f.code, ruleOf(f.code));
    results.push(resultOf(f, level, where, check, was !== undefined));
  };
  for (const e of set.entries) {
    const where = whereOf(e.name, e.report);
    for (const c of e.report.checks) {
      if (c.status === 'error')
        notifications.push({
          level: 'error',
          message: {
            text: `${where.name}: check ${c.id} (${c.title}) did not finish: ${c.error ?? 'it crashed'}`,
          },
          properties: { check: c.id },
        });
      for (const f of c.findings) add(f, where, c.id);
    }
  }
  for (const f of set.findings) add(f, undefined, undefined);
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'irsa-doctor',
            version: TOOL_VERSION,
            informationUri: HOMEPAGE,
            rules: [...rules.values()],
          },
        },
        invocations: [
          {
            executionSuccessful: notifications.length === 0,
            ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        results,
        properties: { verdict: set.verdict, summary: set.summary },
      },
    ],
  };
  return jsonText(redactDeep(log));
}

interface Where {
  name: string;
  namespace?: string;
  serviceAccount?: string;
}

function whereOf(name: string, report: Report): Where {
  const { namespace, serviceAccount } = report.context;
  return {
    name,
    ...(namespace ? { namespace } : {}),
    ...(serviceAccount ? { serviceAccount } : {}),
  };
}

function ruleOf(code: string): ReportingDescriptor {
  const spec = specOf(code);
  if (!spec) return { id: code, helpUri: CODES_DOC_URL };
  const fixes =
    spec.fix === undefined ? [] : typeof spec.fix === 'string' ? [spec.fix] : Object.values(spec.fix);
  const help = fixes.map((t) => plainFix(fillTemplate(t))).join('\n');
  return {
    id: code,
    name: code,
    shortDescription: { text: spec.title },
    fullDescription: { text: spec.cause },
    helpUri: docsLink(code),
    ...(help ? { help: { text: `Fix: ${help}` } } : {}),
    properties: { tags: ['irsa-doctor', ...checksOf(spec)] },
  };
}

function resultOf(
  f: Finding,
  level: Result.level,
  where: Where | undefined,
  check: string | undefined,
  ignored: boolean,
): Result {
  const fix = f.remediation ? ` Fix: ${plainFix(f.remediation)}` : '';
  const subject =
    where?.namespace && where.serviceAccount ? `${where.namespace}/${where.serviceAccount}` : where?.name;
  return {
    ruleId: f.code,
    level,
    message: { text: `${f.message}${fix}` },
    ...(subject
      ? {
          locations: [
            {
              physicalLocation: { artifactLocation: { uri: apiPath(where!) } },
              logicalLocations: [{ fullyQualifiedName: subject, kind: 'serviceaccount' }],
            },
          ],
          // An entry named apart from its ServiceAccount (a Camunda component's configuration, its
          // agent run) keeps its name too: two components may share one ServiceAccount.
          partialFingerprints: {
            'irsaDoctorFinding/v1': `${f.code}:${subject}${where!.name === subject ? '' : `:${where!.name}`}`,
          },
        }
      : {}),
    ...(ignored
      ? { suppressions: [{ kind: 'external', status: 'accepted', justification: 'ignored by the user' }] }
      : {}),
    properties: { status: f.status, ...(check ? { check } : {}), docs: f.docs ?? docsLink(f.code) },
  };
}

/** Where the ServiceAccount lives in the Kubernetes API, as a relative reference SARIF viewers accept. */
function apiPath(where: Where): string {
  if (where.namespace && where.serviceAccount)
    return `api/v1/namespaces/${encodeURIComponent(where.namespace)}/serviceaccounts/${encodeURIComponent(where.serviceAccount)}`;
  return encodeURIComponent(where.name);
}
