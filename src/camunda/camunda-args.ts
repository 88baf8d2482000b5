import { type FlagTable, parseFlags } from '../cli/flags.js';
import { REPORT_FLAGS, REPORT_USAGE, type ReportFlagValues } from '../cli/report-options.js';
import { UsageError } from '../cli/usage-error.js';
import { isDnsLabel, isDnsSubdomain } from '../kube/kube-names.js';
import { checkAgentArgs } from '../launcher/args/check-agent-args.js';
import { DEFAULT_IMAGE } from '../launcher/job/image.js';

/** What `irsa-doctor camunda` was asked to do. */
export interface CamundaOptions {
  /** undefined: the kubeconfig context's namespace (kubectl's rule). */
  namespace?: string;
  release?: string;
  /** Discovery and the Camunda-side findings only: nothing is created in the cluster. */
  noPods: boolean;
  /** true: --audit; false: --no-audit; undefined: audit when the environment names AWS credentials. */
  audit?: boolean;
  /** -o, -v, --fail-on, --ignore as given (cli/report-options.ts resolves them, as for check, run and audit). */
  report: ReportFlagValues;
  /** Jobs at a time. */
  parallel: number;
  /** Each Job's activeDeadlineSeconds; also bounds the discovery's reads. */
  timeoutSeconds: number;
  context?: string;
  kubeconfig?: string;
  image: string;
  imagePullSecrets: string[];
  /** Agent flags after `--`, added to (or overriding) each component's own targets. */
  agentArgs: string[];
  /** --postgres-ca FILE: the CA bundle for every Aurora login, carried into each Job as a ConfigMap. */
  postgresCa?: { kind: 'file'; file: string; pem?: string };
}

export const DEFAULT_CAMUNDA_TIMEOUT_SECONDS = 120;
export const DEFAULT_CAMUNDA_PARALLEL = 4;

export const CAMUNDA_USAGE = `Usage: irsa-doctor camunda -n NAMESPACE [--release NAME] [--no-pods] [--audit] [flags] [-- AGENT_FLAGS...]

Diagnoses a Camunda 8 deployment component by component. Finds every component (orchestration or
zeebe/operate/tasklist, optimize, identity, keycloak, web modeler, connectors, console), the
ServiceAccount it runs as, and the Aurora PostgreSQL and Amazon OpenSearch endpoints it reaches with
IAM, from two sources that check each other: the Helm release (read from its Secret in the cluster;
no helm binary, no chart download) and the live Deployments and StatefulSets with the ConfigMaps they
mount (the only source for Argo CD and helm template installs). Then it checks the Camunda side
(ServiceAccount and role, AWS JDBC wrapper with the iam plugin, OpenSearch AWS switches, drift between
release and pods) and, unless --no-pods, runs the agent as each component's ServiceAccount with that
component's own endpoints, in parallel, on the nodes the component runs on (its nodeSelector,
tolerations and node affinity).

Flags:
  -n, --namespace NS          namespace Camunda runs in (default: the kubeconfig context's)
      --release NAME          the Helm release (or app.kubernetes.io/instance) when the namespace holds several
      --no-pods               discovery and Camunda-side findings only: reads, creates nothing
      --audit                 also read each component's AWS side with your AWS credentials (trust
                              policy, OIDC provider, permissions on its exact Aurora and OpenSearch
                              resources, Pod Identity): done anyway whenever the environment names AWS
                              credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID, AWS_WEB_IDENTITY_TOKEN_FILE,
                              AWS_CONTAINER_CREDENTIALS_*) and a region is known; the read-only IAM policy
                              is in docs/audit.md
      --no-audit              never read the AWS side, even with credentials in the environment
      --parallel N            agent Jobs at a time (default ${DEFAULT_CAMUNDA_PARALLEL})
      --timeout SECONDS       each Job's deadline, image pull included, and the discovery's (default ${DEFAULT_CAMUNDA_TIMEOUT_SECONDS})
      --image IMAGE           agent image (default ${DEFAULT_IMAGE})
      --image-pull-secret S   pull secret for a private registry (repeatable)
      --postgres-ca FILE      CA bundle (e.g. the RDS global-bundle.pem) for every component's Aurora login
                              with verify-full: carried into each Job in a ConfigMap owned by it
      --context NAME          kubeconfig context
      --kubeconfig FILE       kubeconfig file (default: KUBECONFIG, then ~/.kube/config)
${REPORT_USAGE}
  -h, --help                  show this help

Everything after "--" goes to every component's agent, after its own --postgres/--opensearch
targets, which a flag given there replaces (e.g. -- --only sts,postgres,opensearch).

Output: one line per component (ServiceAccount, role, Aurora, OpenSearch, verdict), then the
details. -o json: {schemaVersion, namespace, release, components:[{name, workload, serviceAccount,
roleArn, targets:{postgres, opensearch}, findings, report}], findings, summary, verdict}
(docs/camunda.md, docs/camunda.schema.json). -o sarif, junit and markdown show each component as its
Camunda configuration ("NAME: configuration") and, when it has one, its agent run or audit
("NAME: agent", "NAME: audit"); the deployment's own findings stand apart (docs/output.md).
Exit codes: 0 nothing failed (see --fail-on), 1 a finding failed or a check errored, 2 usage or
kubeconfig error, 130/143 interrupted (Jobs are deleted first).
Permissions: k8s/camunda-rbac.yaml (reads: Helm release Secrets, workloads, ConfigMaps,
ServiceAccounts); with pods also the launcher's Role in k8s/rbac.yaml.

Examples:
  irsa-doctor camunda -n camunda --no-pods
  irsa-doctor camunda -n camunda -o json > camunda-report.json
  irsa-doctor camunda -n camunda --no-pods -o sarif --ignore CAMUNDA-SA-NOT-ANNOTATED > camunda.sarif
  irsa-doctor camunda -n camunda --release camunda-prod --audit --postgres-ca global-bundle.pem
`;

export const CAMUNDA_FLAGS = {
  namespace: { type: 'string', short: 'n' },
  release: { type: 'string' },
  'no-pods': { type: 'boolean' },
  audit: { type: 'boolean' },
  'no-audit': { type: 'boolean' },
  ...REPORT_FLAGS,
  parallel: { type: 'string' },
  timeout: { type: 'string' },
  image: { type: 'string' },
  'image-pull-secret': { type: 'string', multiple: true },
  'postgres-ca': { type: 'string' },
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies FlagTable;

export function parseCamundaArgs(argv: readonly string[]): CamundaOptions {
  const { values, rest } = parseFlags(argv, CAMUNDA_FLAGS);
  const opts: CamundaOptions = {
    noPods: Boolean(values['no-pods']),
    parallel: whole('--parallel', values.parallel, DEFAULT_CAMUNDA_PARALLEL, 1, 64),
    timeoutSeconds: whole('--timeout', values.timeout, DEFAULT_CAMUNDA_TIMEOUT_SECONDS, 1, 86_400),
    image: values.image ?? DEFAULT_IMAGE,
    imagePullSecrets: values['image-pull-secret'] ?? [],
    agentArgs: rest,
    report: {
      output: values.output,
      verbose: values.verbose,
      'fail-on': values['fail-on'],
      ignore: values.ignore,
    },
  };
  if (values['postgres-ca'] !== undefined) opts.postgresCa = { kind: 'file', file: values['postgres-ca'] };
  if (values.audit && values['no-audit']) throw new UsageError('give either --audit or --no-audit, not both');
  if (values.audit) opts.audit = true;
  if (values['no-audit']) opts.audit = false;
  const optional = {
    namespace: values.namespace,
    release: values.release,
    context: values.context,
    kubeconfig: values.kubeconfig,
  };
  for (const [k, v] of Object.entries(optional))
    if (v !== undefined) (opts as unknown as Record<string, unknown>)[k] = v;
  const rules: Array<[boolean, string]> = [
    [
      opts.namespace !== undefined && !isDnsLabel(opts.namespace),
      `namespace ${JSON.stringify(opts.namespace)} is not a valid namespace name (DNS label, at most 63 characters)`,
    ],
    [
      // Helm's own rule for release names: a DNS label of at most 53 characters.
      opts.release !== undefined && !(isDnsLabel(opts.release) && opts.release.length <= 53),
      `--release ${JSON.stringify(opts.release)} is not a Helm release name (lowercase letters, digits and "-", at most 53 characters)`,
    ],
    [
      opts.image.trim() === '' || /\s/.test(opts.image),
      `--image ${JSON.stringify(opts.image)} is not an image reference`,
    ],
    ...opts.imagePullSecrets.map((s): [boolean, string] => [
      !isDnsSubdomain(s),
      `--image-pull-secret ${JSON.stringify(s)} is not a valid Secret name`,
    ]),
    [
      opts.postgresCa !== undefined && opts.agentArgs.some((a) => /^--postgres-ca(=|$)/.test(a)),
      '--postgres-ca after "--" names a file inside the image; give the bundle once, either to camunda (--postgres-ca FILE) or to the agent',
    ],
    [
      opts.agentArgs.some((a) => a === '-o' || a.startsWith('--output') || /^-o\S/.test(a)),
      'an -o/--output after "--": the agent reports JSON to the launcher; choose the format with camunda\'s own --output',
    ],
  ];
  for (const [broken, message] of rules) if (broken) throw new UsageError(message);
  checkAgentArgs(opts.agentArgs, opts.timeoutSeconds);
  return opts;
}

function whole(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(
      `${name} must be a whole number between ${min} and ${max}, not ${JSON.stringify(raw)}`,
    );
  return n;
}
