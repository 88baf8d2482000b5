import { listValue, parseFlags } from '../cli/flags.js';
import { REPORT_FLAGS, REPORT_USAGE } from '../cli/report-options.js';
import { UsageError } from '../cli/usage-error.js';
import { isDnsLabel, isDnsSubdomain } from '../kube/kube-names.js';
import { type AuditOptions, DEFAULT_AUDIT_PARALLEL, DEFAULT_AUDIT_TIMEOUT_SECONDS } from './audit-options.js';

export const AUDIT_USAGE = `Usage: irsa-doctor audit -n NAMESPACE -s SERVICE_ACCOUNT [flags]
       irsa-doctor audit -n NAMESPACE --all | -A [flags]

Checks the AWS side of IRSA and EKS Pod Identity from your workstation, with your AWS credentials and
kubeconfig, without starting a pod: the ServiceAccount and its annotation, the pods already running
as it, the cluster's IAM OIDC provider, the role's trust policy (evaluated statement by statement),
the role's permissions on the exact Aurora and OpenSearch resources, Pod Identity associations, the
nodes' IMDS settings, and what CloudTrail saw STS refuse. Reads only; creates nothing (--assume aside).

Flags:
  -n, --namespace NS          namespace (default: the kubeconfig context's)
  -s, --service-account SA    the ServiceAccount to audit
      --all                   every ServiceAccount of the namespace with a role annotation or a Pod
                              Identity association
  -A, --all-namespaces        the same, in every namespace
      --postgres HOST[:PORT]  Aurora/RDS endpoint the workload uses: finds the cluster, checks IAM auth
                              and simulates rds-db:connect on its exact resource (repeatable)
      --postgres-user USER    database user the workload logs in as (needed with --postgres)
      --opensearch URL        OpenSearch endpoint: finds the domain and judges its access policy with
                              the role's policies (repeatable)
      --cluster NAME          EKS cluster (default: from the kubeconfig's aws eks get-token arguments,
                              else the cluster whose endpoint is the kubeconfig server)
      --region REGION         AWS region (default: the kubeconfig's, else AWS_REGION / the profile's)
      --context NAME          kubeconfig context
      --kubeconfig FILE       kubeconfig file (default: KUBECONFIG, then ~/.kube/config)
${REPORT_USAGE}
      --timeout SECONDS       deadline for the whole audit (default ${DEFAULT_AUDIT_TIMEOUT_SECONDS})
      --parallel N            ServiceAccounts audited at once with --all/-A (default ${DEFAULT_AUDIT_PARALLEL})
      --cloudtrail-hours H    how far back to look for refused web identity exchanges (default 24)
      --assume                prove the IRSA chain for real (opt-in): request a 10-minute token for the
                              ServiceAccount through the Kubernetes TokenRequest API (needs RBAC create
                              on serviceaccounts/token in its namespace) and call
                              sts:AssumeRoleWithWebIdentity with it from here. This OBTAINS REAL
                              CREDENTIALS of the role (session irsa-doctor-audit-*, visible in
                              CloudTrail); they are checked with GetCallerIdentity and discarded at
                              once, never printed or stored. Not for EKS Pod Identity roles.
  -h, --help                  show this help

AWS credentials, region and endpoints come from the SDK's standard chain (AWS_PROFILE, SSO, env,
AWS_ENDPOINT_URL_*). The read-only IAM policy the audit needs: docs/audit.md.
Exit codes: 0 nothing failed, 1 a finding failed or a check errored (see --fail-on), 2 usage or
configuration error.

Examples:
  irsa-doctor audit -n camunda -s zeebe-sa
  irsa-doctor audit -n camunda -s identity --postgres mycluster.cluster-abc.eu-west-1.rds.amazonaws.com --postgres-user identity
  irsa-doctor audit -n camunda --all -o json
  irsa-doctor audit -n camunda --all -o markdown >> "$GITHUB_STEP_SUMMARY"
`;

export const AUDIT_FLAGS = {
  namespace: { type: 'string', short: 'n' },
  'service-account': { type: 'string', short: 's' },
  all: { type: 'boolean' },
  'all-namespaces': { type: 'boolean', short: 'A' },
  postgres: { type: 'string', multiple: true },
  'postgres-user': { type: 'string' },
  opensearch: { type: 'string', multiple: true },
  cluster: { type: 'string' },
  region: { type: 'string' },
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
  ...REPORT_FLAGS,
  timeout: { type: 'string' },
  parallel: { type: 'string' },
  'cloudtrail-hours': { type: 'string' },
  assume: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseAuditArgs(argv: readonly string[]): AuditOptions {
  const { values } = parseFlags(argv, AUDIT_FLAGS);
  const opts: AuditOptions = {
    all: Boolean(values.all) || Boolean(values['all-namespaces']),
    allNamespaces: Boolean(values['all-namespaces']),
    postgres: listValue(values.postgres),
    opensearch: listValue(values.opensearch),
    timeoutMs: number('--timeout', values.timeout, DEFAULT_AUDIT_TIMEOUT_SECONDS, 1, 3600) * 1000,
    parallel: number('--parallel', values.parallel, DEFAULT_AUDIT_PARALLEL, 1, 64),
    assume: Boolean(values.assume),
    cloudTrailHours: number('--cloudtrail-hours', values['cloudtrail-hours'], 24, 1, 24 * 90),
  };
  const optional = {
    namespace: values.namespace,
    serviceAccount: values['service-account'],
    postgresUser: values['postgres-user'],
    cluster: values.cluster,
    region: values.region,
    context: values.context,
    kubeconfig: values.kubeconfig,
  };
  for (const [k, v] of Object.entries(optional))
    if (v !== undefined) (opts as unknown as Record<string, unknown>)[k] = v;
  opts.report = {
    output: values.output,
    verbose: values.verbose,
    'fail-on': values['fail-on'],
    ignore: values.ignore,
  };
  const rules: Array<[boolean, string]> = [
    [opts.all && opts.serviceAccount !== undefined, 'give either -s SERVICE_ACCOUNT or --all, not both'],
    [opts.allNamespaces && opts.namespace !== undefined, 'give either -n NAMESPACE or -A, not both'],
    [
      !opts.all && opts.serviceAccount === undefined,
      'which ServiceAccount? Pass -s SERVICE_ACCOUNT (or --all for every one with a role)',
    ],
    [
      opts.namespace !== undefined && !isDnsLabel(opts.namespace),
      `namespace ${JSON.stringify(opts.namespace)} is not a valid namespace name (DNS label, at most 63 characters)`,
    ],
    [
      opts.serviceAccount !== undefined && !isDnsSubdomain(opts.serviceAccount),
      `ServiceAccount ${JSON.stringify(opts.serviceAccount)} is not a valid name (DNS subdomain, at most 253 characters)`,
    ],
    [
      opts.postgres.length > 0 && opts.postgresUser === undefined,
      '--postgres needs --postgres-user: rds-db:connect is granted per database user',
    ],
    [
      opts.region !== undefined && !/^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/.test(opts.region),
      `--region ${JSON.stringify(opts.region)} is not an AWS region name`,
    ],
  ];
  for (const [broken, message] of rules) if (broken) throw new UsageError(message);
  return opts;
}

function number(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max || (name !== '--timeout' && !Number.isInteger(n)))
    throw new UsageError(`${name} must be a number from ${min} to ${max}, not ${JSON.stringify(raw)}`);
  return n;
}
