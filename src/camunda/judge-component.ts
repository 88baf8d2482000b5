import { finding } from '../report/finding.js';
import type { Finding } from '../report/types.js';
import {
  type AgentTargets,
  agentTargets,
  isAmazonOpenSearchHost,
  isAwsOpenSearch,
  isIamPostgres,
  isRdsHost,
} from './agent-targets.js';
import type {
  CamundaComponent,
  ChartLine,
  ComponentId,
  OpenSearchUse,
  PostgresUse,
} from './camunda-component.js';
import { lineAtLeast } from './chart-line.js';
import { type DiscoveredComponent, workloadRef } from './discover-camunda.js';

/**
 * The Camunda-side verdict on one component, from its model alone (no AWS call): does its
 * ServiceAccount exist and carry a role, does its JDBC connection to Aurora use IAM, do its OpenSearch
 * clients sign, does what runs match the release. Also which targets the agent should try as it.
 */

export interface JudgeContext {
  readonly namespace: string;
  readonly line?: ChartLine;
  readonly release?: string;
  /** Undefined when the ServiceAccounts could not be listed. */
  readonly serviceAccounts?: ReadonlySet<string>;
  /** `namespace/name` of ServiceAccounts with an EKS Pod Identity association; undefined when unknown. */
  readonly podIdentity?: ReadonlySet<string>;
  /** Hosts another OpenSearch client of the deployment signs for. */
  readonly signedHosts: ReadonlySet<string>;
}

export interface ComponentJudgement {
  readonly findings: Finding[];
  readonly targets: AgentTargets;
  /** The component reaches AWS with IAM (or should): the agent is worth running as it. */
  readonly usesIam: boolean;
  /** Its ServiceAccount exists, or could not be checked: a Job can run as it. */
  readonly serviceAccountExists: boolean;
}

const WRAPPER_DRIVER = 'software.amazon.jdbc.Driver';

/** The values key of each component in the chart (8.10 moved Web Modeler under camundaHub). */
export function valuesKeyOf(id: ComponentId, line: ChartLine | undefined): string {
  switch (id) {
    case 'zeebe-gateway':
      return 'zeebeGateway';
    case 'keycloak':
      return 'identityKeycloak';
    case 'web-modeler-restapi':
    case 'web-modeler-webapp':
    case 'web-modeler-websockets':
      return line === '8.10' ? 'camundaHub' : 'webModeler';
    default:
      return id;
  }
}

export function judgeComponent(d: DiscoveredComponent, ctx: JudgeContext): ComponentJudgement {
  const c = d.model;
  const ns = ctx.namespace;
  const sa = c.serviceAccount.value;
  const workload = workloadRef(c);
  const valuesKey = valuesKeyOf(c.id, ctx.line);
  const out: Finding[] = [];
  const common = { namespace: ns, serviceAccount: sa, workload, valuesKey, release: ctx.release };

  const iamPostgres = c.postgres.filter(isIamPostgres);
  const awsOpenSearch = c.opensearch.filter((u) => isAwsOpenSearch(u, ctx.signedHosts));
  const usesIam = iamPostgres.length > 0 || awsOpenSearch.length > 0;

  const missing = d.running && ctx.serviceAccounts !== undefined && !ctx.serviceAccounts.has(sa);
  if (missing)
    out.push(
      finding(
        'CAMUNDA-SA-MISSING',
        `${c.id} (${workload}) runs as ServiceAccount ${sa} (${c.serviceAccount.source}), which does not exist in ${ns}: its pods cannot be created.`,
        { fix: common, details: { serviceAccount: sa, source: c.serviceAccount.source } },
      ),
    );
  const viaPodIdentity = ctx.podIdentity?.has(`${ns}/${sa}`) === true;
  if (usesIam && !missing && !c.roleArn && !viaPodIdentity) {
    const known = ctx.podIdentity !== undefined;
    const uses = [
      ...iamPostgres.map((u) => `Aurora ${u.host?.value ?? '(host unknown)'}`),
      ...awsOpenSearch.map((u) => `OpenSearch ${u.host?.value ?? '(host unknown)'} (${u.purpose})`),
    ];
    out.push(
      finding(
        'CAMUNDA-SA-NOT-ANNOTATED',
        `${c.id} uses ${[...new Set(uses)].join(', ')} with IAM, but its ServiceAccount ${sa} has no eks.amazonaws.com/role-arn annotation${known ? ' and no EKS Pod Identity association' : '; EKS Pod Identity associations were not listed (no AWS credentials here)'}.`,
        { status: known ? 'fail' : 'warn', fix: common, details: { serviceAccount: sa } },
      ),
    );
  }

  for (const u of c.postgres) out.push(...postgresFindings(c, u, ctx, common));
  out.push(...openSearchFindings(c, ctx, common));
  if (d.drift.length > 0) out.push(driftFinding(d, ctx, common));

  if (!out.some((f) => f.status === 'fail' || f.status === 'warn'))
    out.push(
      finding('CAMUNDA-COMPONENT-OK', okMessage(c, usesIam), {
        details: { serviceAccount: sa, ...(c.roleArn ? { roleArn: c.roleArn.value } : {}) },
      }),
    );
  return {
    findings: out,
    targets: agentTargets(c, ctx.signedHosts),
    usesIam: usesIam || c.roleArn !== undefined || viaPodIdentity,
    serviceAccountExists: !missing,
  };
}

type Common = {
  namespace: string;
  serviceAccount: string;
  workload: string;
  valuesKey: string;
  release: string | undefined;
};

function postgresFindings(c: CamundaComponent, u: PostgresUse, ctx: JudgeContext, common: Common): Finding[] {
  const host = u.host?.value;
  const where = host ? `${host}:${u.port?.value ?? 5432}` : '(host unknown)';
  if (!u.url && !u.host) {
    return [
      finding(
        'CAMUNDA-TARGET-UNKNOWN',
        `${c.id}: its database connection (${u.purpose}) could not be read: ${u.notes.join('; ') || 'no URL'}.`,
        { fix: common, details: { purpose: u.purpose } },
      ),
    ];
  }
  const values = {
    ...common,
    host,
    port: u.port?.value,
    database: u.database?.value,
    user: u.user?.value,
    prefix: ctx.line === '8.10' ? 'camundaHub' : 'webModeler',
    userKey: ctx.line === '8.7' || ctx.line === '8.8' ? 'user' : 'username',
    envKey: c.id === 'identity' ? 'identity.env' : `${valuesKeyOf(c.id, ctx.line)}.restapi.env`,
  };
  const details = {
    purpose: u.purpose,
    ...(u.url ? { url: u.url.value, source: u.url.source } : {}),
    iam: u.iam,
    ...(u.driver ? { driver: u.driver } : {}),
    ...(u.user ? { user: u.user } : {}),
  };
  const out: Finding[] = [];
  if (!u.iam.value) {
    if (isIamPostgres(u)) {
      const why = /^jdbc:aws-wrapper:/i.test(u.url?.value ?? '')
        ? `the AWS JDBC wrapper without its iam plugin (wrapperPlugins=${u.params.wrapperPlugins ?? 'unset'})`
        : u.purpose === 'rdbms'
          ? `aws-enabled off (${u.iam.source})`
          : 'plain jdbc:postgresql://, which sends a password';
      out.push(
        finding(
          'CAMUNDA-JDBC-NOT-IAM',
          `${c.id} logs in to ${isRdsHost(host) ? 'Aurora/RDS ' : ''}${where} with ${why} (${u.url?.source ?? u.iam.source}).`,
          { variant: jdbcVariant(c.id, u), fix: values, details },
        ),
      );
    } else {
      out.push(
        finding(
          'CAMUNDA-JDBC-NOT-AWS',
          `${c.id} logs in to PostgreSQL ${where}, not an Aurora/RDS endpoint by name, without IAM (${u.url?.source ?? ''}); not checked further.`,
          { details },
        ),
      );
    }
  } else if (u.purpose !== 'rdbms' && u.driver?.value !== WRAPPER_DRIVER) {
    // The wrapper's URL form is unknown to the stock PostgreSQL driver: the wrapper's class must load it.
    const shown = u.driver ? `driver ${u.driver.value} (${u.driver.source})` : 'no driver class set';
    out.push(
      finding(
        'CAMUNDA-JDBC-NOT-IAM',
        `${c.id} has the iam plugin on its ${where} URL but ${shown}: a jdbc:aws-wrapper: URL needs ${WRAPPER_DRIVER}.`,
        {
          variant:
            u.purpose === 'keycloak'
              ? 'keycloak'
              : c.id === 'identity' || c.id === 'web-modeler-restapi'
                ? 'driver'
                : 'workload',
          fix: values,
          details,
        },
      ),
    );
  }
  if (isIamPostgres(u) && !u.user && !out.some((f) => f.code === 'CAMUNDA-JDBC-NOT-IAM'))
    out.push(
      finding(
        'CAMUNDA-TARGET-UNKNOWN',
        `${c.id}: the database user for ${where} could not be read (${u.notes.join('; ') || 'no user set'}); the agent cannot try the login as it.`,
        { fix: common, details: { purpose: u.purpose } },
      ),
    );
  return out;
}

function jdbcVariant(
  id: ComponentId,
  u: PostgresUse,
): 'identity' | 'webModeler' | 'keycloak' | 'rdbms' | 'workload' {
  if (u.purpose === 'rdbms') return 'rdbms';
  if (u.purpose === 'keycloak') return 'keycloak';
  if (id === 'identity') return 'identity';
  if (id === 'web-modeler-restapi') return 'webModeler';
  return 'workload';
}

function openSearchFindings(c: CamundaComponent, ctx: JudgeContext, common: Common): Finding[] {
  const out: Finding[] = [];
  const off = new Map<string, { status: 'fail' | 'warn'; uses: OpenSearchUse[]; source?: string }>();
  for (const u of c.opensearch) {
    if (!u.url) {
      out.push(
        finding(
          'CAMUNDA-TARGET-UNKNOWN',
          `${c.id}: the URL of its OpenSearch client ${u.purpose} could not be read: ${u.notes.join('; ') || 'no URL'}.`,
          { fix: common, details: { purpose: u.purpose } },
        ),
      );
      continue;
    }
    if (u.aws.value || !isAwsOpenSearch(u, ctx.signedHosts)) continue;
    const unrendered =
      ctx.line === '8.7' &&
      (u.purpose === 'operate-zeebe' || u.purpose === 'tasklist-zeebe') &&
      u.aws.source.startsWith('absent:');
    const explicit = /^(env:|envFrom:|args:)/.test(u.aws.source);
    const variant = unrendered
      ? 'zeebeClient'
      : explicit
        ? 'override'
        : ctx.line !== undefined && lineAtLeast(ctx.line, '8.9')
          ? c.id === 'optimize'
            ? 'optimize'
            : 'orchestration'
          : 'global';
    const key = variant === 'override' ? `override:${u.aws.source}` : variant;
    const group = off.get(key) ?? {
      status: unrendered ? 'warn' : 'fail',
      uses: [],
      ...(explicit ? { source: u.aws.source } : {}),
    };
    group.uses.push(u);
    off.set(key, group);
  }
  for (const [key, g] of off) {
    const variant = key.startsWith('override:')
      ? 'override'
      : (key as 'global' | 'orchestration' | 'optimize' | 'zeebeClient');
    const hosts = [...new Set(g.uses.map((u) => u.host?.value ?? ''))];
    const amazon = hosts.some(isAmazonOpenSearchHost);
    const app = c.id === 'tasklist' ? 'TASKLIST' : 'OPERATE';
    out.push(
      finding(
        'CAMUNDA-OPENSEARCH-AWS-DISABLED',
        `${c.id}: OpenSearch client(s) ${g.uses.map((u) => u.purpose).join(', ')} call ${hosts.join(', ')}${amazon ? ' (Amazon OpenSearch)' : ' (signed for by other clients)'} with the AWS switch off (${g.uses.map((u) => u.aws.source).join('; ')}).`,
        {
          status: g.status,
          variant,
          fix: { ...common, envName: `CAMUNDA_${app}_ZEEBEOPENSEARCH_AWSENABLED`, source: g.source },
          details: {
            clients: g.uses.map((u) => ({ purpose: u.purpose, url: u.url?.value, aws: u.aws })),
          },
        },
      ),
    );
  }
  return out;
}

function driftFinding(d: DiscoveredComponent, ctx: JudgeContext, common: Common): Finding {
  const shown = (v: unknown) => (v === undefined ? 'absent' : String(v));
  const fields = d.drift.map((x) =>
    x.field === 'present'
      ? x.release
        ? 'enabled in the release but no workload runs it'
        : 'runs but the release does not enable it'
      : `${x.field}: release ${shown(x.release?.value)}, live ${shown(x.live?.value)}`,
  );
  return finding(
    'CAMUNDA-VALUES-DRIFT',
    `${d.id}: what runs differs from release ${ctx.release ?? ''}: ${fields.join('; ')}.`,
    {
      fix: { ...common, fields: fields.join('; ') },
      details: {
        drift: d.drift.map((x) => ({
          field: x.field,
          ...(x.release ? { release: x.release } : {}),
          ...(x.live ? { live: x.live } : {}),
        })),
      },
    },
  );
}

function okMessage(c: CamundaComponent, usesIam: boolean): string {
  const who = `${c.id} (${workloadRef(c)}) runs as ${c.serviceAccount.value}${c.roleArn ? ` with role ${c.roleArn.value}` : ''}`;
  if (!usesIam) return `${who}; it reaches no AWS service with IAM.`;
  const parts = [
    ...c.postgres
      .filter((u) => u.iam.value)
      .map(
        (u) =>
          `Aurora ${u.user?.value ?? '?'}@${u.host?.value}:${u.port?.value} through ${u.purpose === 'rdbms' ? 'aws-enabled' : "the AWS JDBC wrapper's iam plugin"}`,
      ),
    ...[...new Set(c.opensearch.filter((u) => u.aws.value).map((u) => u.url?.value))].map(
      (url) => `OpenSearch ${url} signed with SigV4`,
    ),
  ];
  return `${who}; ${parts.join('; ')}.`;
}
