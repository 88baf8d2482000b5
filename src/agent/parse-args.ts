import { parseArgs } from 'node:util';
import { type AgentOptions, DEFAULT_TIMEOUT_SECONDS } from './options.js';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const CHECK_USAGE = `Usage: irsa-doctor check [flags]

Run inside a pod, as the ServiceAccount under test. Proves which AWS identity the pod really gets
(IRSA or EKS Pod Identity), why not if it doesn't, and whether it can log in to Aurora PostgreSQL and
OpenSearch with it. Prints one report: text on a terminal, JSON otherwise.

Flags:
  -o, --output json|text      report format (default: text on a TTY, json otherwise)
      --timeout SECONDS       deadline for the whole run (default ${DEFAULT_TIMEOUT_SECONDS}; env IRSA_DOCTOR_TIMEOUT)
      --only IDS              comma-separated check ids to run (see --list)
      --list                  list check ids and exit
      --region REGION         AWS region (default: AWS_REGION, AWS_DEFAULT_REGION)
      --audience AUD          audience the token must carry instead of sts.amazonaws.com (custom OIDC audience setups)
      --postgres HOST[:PORT]  Aurora/RDS PostgreSQL endpoint to log in to with IAM (repeatable; env IRSA_DOCTOR_POSTGRES, comma-separated)
      --postgres-user USER    database user (env IRSA_DOCTOR_POSTGRES_USER)
      --postgres-database DB  database (default: the user name; env IRSA_DOCTOR_POSTGRES_DATABASE)
      --postgres-ca FILE      RDS CA bundle; enables verify-full (env IRSA_DOCTOR_POSTGRES_CA)
      --opensearch URL        OpenSearch endpoint (repeatable; env IRSA_DOCTOR_OPENSEARCH, comma-separated)
      --opensearch-service es|aoss  SigV4 service name (default: from the host name; env IRSA_DOCTOR_OPENSEARCH_SERVICE)
      --debug                 print stack traces of crashed checks to stderr
  -h, --help                  show this help

Exit codes: 0 nothing failed, 1 a finding failed or a check errored, 2 usage error.
Environment: NO_COLOR disables colour. IRSA_DOCTOR_SA_DIR overrides where the pod's own ServiceAccount
files are read (default /var/run/secrets/kubernetes.io/serviceaccount). Codes and fixes: docs/codes.md.

Examples:
  irsa-doctor check
  irsa-doctor check --only env,token-claims,sts -o json
  irsa-doctor check --postgres mycluster.cluster-abc.eu-west-1.rds.amazonaws.com --postgres-user zeebe
`;

export interface ParsedCheckArgs {
  options: AgentOptions;
  help: boolean;
  list: boolean;
}

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Flags win over IRSA_DOCTOR_* variables, so a Job or `kubectl run` can configure without editing args. */
export function parseCheckArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  stdoutIsTty: boolean,
): ParsedCheckArgs {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const output = values.output ?? env.IRSA_DOCTOR_OUTPUT ?? (stdoutIsTty ? 'text' : 'json');
  if (output !== 'json' && output !== 'text')
    throw new UsageError(`--output must be json or text, not "${output}"`);
  const timeoutRaw = values.timeout ?? env.IRSA_DOCTOR_TIMEOUT ?? String(DEFAULT_TIMEOUT_SECONDS);
  const timeout = Number(timeoutRaw);
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 3600) {
    throw new UsageError(
      `--timeout must be a number of seconds greater than 0 and at most 3600, not "${timeoutRaw}"`,
    );
  }
  const service = values['opensearch-service'] ?? env.IRSA_DOCTOR_OPENSEARCH_SERVICE;
  if (service !== undefined && service !== 'es' && service !== 'aoss') {
    throw new UsageError(`--opensearch-service must be es or aoss, not "${service}"`);
  }
  const options: AgentOptions = {
    output,
    timeoutMs: Math.round(timeout * 1000),
    only: (values.only ?? []).flatMap(list),
    debug: Boolean(values.debug),
    postgres: values.postgres?.length ? values.postgres.flatMap(list) : list(env.IRSA_DOCTOR_POSTGRES),
    opensearch: values.opensearch?.length
      ? values.opensearch.flatMap(list)
      : list(env.IRSA_DOCTOR_OPENSEARCH),
  };
  const optional = {
    region: values.region ?? env.IRSA_DOCTOR_REGION,
    audience: values.audience ?? env.IRSA_DOCTOR_AUDIENCE,
    postgresUser: values['postgres-user'] ?? env.IRSA_DOCTOR_POSTGRES_USER,
    postgresDatabase: values['postgres-database'] ?? env.IRSA_DOCTOR_POSTGRES_DATABASE,
    postgresCa: values['postgres-ca'] ?? env.IRSA_DOCTOR_POSTGRES_CA,
    opensearchService: service as 'es' | 'aoss' | undefined,
  };
  for (const [k, v] of Object.entries(optional))
    if (v) (options as unknown as Record<string, unknown>)[k] = v;
  return { options, help: Boolean(values.help), list: Boolean(values.list) };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: false,
    strict: true,
    options: {
      output: { type: 'string', short: 'o' },
      timeout: { type: 'string' },
      only: { type: 'string', multiple: true },
      list: { type: 'boolean' },
      region: { type: 'string' },
      audience: { type: 'string' },
      postgres: { type: 'string', multiple: true },
      'postgres-user': { type: 'string' },
      'postgres-database': { type: 'string' },
      'postgres-ca': { type: 'string' },
      opensearch: { type: 'string', multiple: true },
      'opensearch-service': { type: 'string' },
      debug: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
