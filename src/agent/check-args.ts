import { listValue, parseFlags } from '../cli/flags.js';
import type { Io } from '../cli/io.js';
import { resolveOutput } from '../cli/output.js';
import { UsageError } from '../cli/usage-error.js';
import { type AgentOptions, DEFAULT_TIMEOUT_SECONDS } from './options.js';

export const CHECK_USAGE = `Usage: irsa-doctor check [flags]

Run inside a pod, as the ServiceAccount under test. Proves which AWS identity the pod really gets
(IRSA or EKS Pod Identity), why not if it doesn't, and whether it can log in to Aurora PostgreSQL and
OpenSearch with it. Prints one report: text on a terminal, JSON otherwise.

Flags:
  -o, --output json|text      report format (default: text on a TTY, json otherwise)
      --timeout SECONDS       deadline for the whole run (default ${DEFAULT_TIMEOUT_SECONDS}; env IRSA_DOCTOR_TIMEOUT)
      --only IDS              comma-separated check ids to run (see --list)
      --list                  list check ids and exit
      --region REGION         AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region)
      --audience AUD          audience the token must carry instead of sts.amazonaws.com (custom OIDC audience setups)
      --postgres HOST[:PORT]  Aurora/RDS PostgreSQL endpoint to log in to with IAM (repeatable; env IRSA_DOCTOR_POSTGRES, comma-separated;
                              a postgresql:// URL may carry libpq's hostaddr=IP to dial instead of resolving HOST)
      --postgres-user USER    database user (env IRSA_DOCTOR_POSTGRES_USER)
      --postgres-database DB  database (default: the user name; env IRSA_DOCTOR_POSTGRES_DATABASE)
      --postgres-ca FILE      CA bundle for verify-full; wins over the bundled AWS RDS CA that *.rds.amazonaws.com
                              names get by default (env IRSA_DOCTOR_POSTGRES_CA)
      --opensearch URL        OpenSearch endpoint (repeatable; env IRSA_DOCTOR_OPENSEARCH, comma-separated)
      --opensearch-service es|aoss  SigV4 service name (default: from the host name; env IRSA_DOCTOR_OPENSEARCH_SERVICE)
      --debug                 print stack traces of crashed checks to stderr
  -h, --help                  show this help

Exit codes: 0 nothing failed, 1 a finding failed or a check errored, 2 usage error,
141 standard output closed by its reader (as for SIGPIPE: '| head').
Environment: NO_COLOR disables colour. IRSA_DOCTOR_SA_DIR overrides where the pod's own ServiceAccount
files are read (default /var/run/secrets/kubernetes.io/serviceaccount). Codes and fixes: docs/codes.md.

Examples:
  irsa-doctor check
  irsa-doctor check --only env,token-claims,sts -o json
  irsa-doctor check --postgres mycluster.cluster-abc.eu-west-1.rds.amazonaws.com --postgres-user zeebe
`;

/** The agent's flags; each string flag but --only/--list/--debug also has an IRSA_DOCTOR_* variable. */
export const CHECK_FLAGS = {
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
} as const;

export interface ParsedCheckArgs {
  options: AgentOptions;
  list: boolean;
}

/** Flags win over IRSA_DOCTOR_* variables, so a Job or `kubectl run` can configure without editing args. */
export function parseCheckArgs(argv: readonly string[], io: Io): ParsedCheckArgs {
  const { values } = parseFlags(argv, CHECK_FLAGS);
  const env = io.env;
  const output = resolveOutput(values.output, io, ['json', 'text'] as const);
  const timeoutRaw = values.timeout ?? env.IRSA_DOCTOR_TIMEOUT ?? String(DEFAULT_TIMEOUT_SECONDS);
  const timeout = Number(timeoutRaw);
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 3600)
    throw new UsageError(
      `--timeout must be a number of seconds greater than 0 and at most 3600, not ${JSON.stringify(timeoutRaw)}`,
    );
  const service = values['opensearch-service'] ?? env.IRSA_DOCTOR_OPENSEARCH_SERVICE;
  if (service !== undefined && service !== 'es' && service !== 'aoss')
    throw new UsageError(`--opensearch-service must be es or aoss, not ${JSON.stringify(service)}`);
  const options: AgentOptions = {
    output,
    timeoutMs: Math.round(timeout * 1000),
    only: listValue(values.only),
    debug: Boolean(values.debug),
    postgres: listValue(values.postgres ?? env.IRSA_DOCTOR_POSTGRES),
    opensearch: listValue(values.opensearch ?? env.IRSA_DOCTOR_OPENSEARCH),
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
  return { options, list: Boolean(values.list) };
}
