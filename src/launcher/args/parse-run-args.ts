import { type FlagTable, type FlagValues, parseFlags } from '../../cli/flags.js';
import { oneOf } from '../../cli/output.js';
import { REPORT_FLAGS, type ReportFlagValues } from '../../cli/report-options.js';
import { UsageError } from '../../cli/usage-error.js';
import { isDnsLabel, isDnsSubdomain, LABEL_KEY, LABEL_VALUE } from '../../kube/kube-names.js';
import { REPORT_FORMATS, type ReportFormat } from '../../report/render/render-report.js';
import { DEFAULT_IMAGE } from '../job/image.js';
import { defaultPullPolicy, PULL_POLICIES, type PullPolicy } from '../job/image-pull-policy.js';
import type { Toleration } from '../job/job-manifest.js';
import { DEFAULT_CA_KEY, type PostgresCaSource } from '../job/postgres-ca.js';
import { parseWorkloadRef, type WorkloadRef } from '../workload/workload-ref.js';
import { checkAgentArgs } from './check-agent-args.js';
import { parseToleration, TAINT_EFFECTS } from './parse-toleration.js';
import {
  annotationBytes,
  annotationEntry,
  labelEntry,
  MAX_ANNOTATION_BYTES,
  type MetadataEntry,
} from './pod-metadata.js';

export type RunOutput = ReportFormat | 'yaml';

/** What `irsa-doctor run` was asked to do. */
export interface RunOptions {
  /** undefined: the kubeconfig context's namespace, else "default" (kubectl's rule). */
  namespace?: string;
  serviceAccount?: string;
  /** --workload deploy/NAME|sts/NAME|job/NAME: as its ServiceAccount, on its nodes, against its endpoints. */
  workload?: WorkloadRef;
  /** -c/--container: whose configuration --workload reads (else kubectl's default container). */
  container?: string;
  /**
   * One Job per ServiceAccount of the namespace (or of all namespaces with allNamespaces) that has a
   * role annotation or, when AWS credentials let the launcher list them, an EKS Pod Identity association.
   */
  all: boolean;
  allNamespaces: boolean;
  parallel: number;
  /** --image, else $IRSA_DOCTOR_IMAGE, else the image of this launcher's version. */
  image: string;
  /** --image-pull-policy, else what Kubernetes would default to for `image`. */
  imagePullPolicy: PullPolicy;
  /** --pod-label KEY=VALUE: on the Job and its pod. */
  podLabels: Record<string, string>;
  /** --pod-annotation KEY=VALUE: on the pod (e.g. sidecar.istio.io/inject=false). */
  podAnnotations: Record<string, string>;
  priorityClass?: string;
  /** A CA bundle for the agent's --postgres-ca, carried into the pod. */
  postgresCa?: PostgresCaSource;
  /** The EKS cluster's name for the AWS side (Pod Identity associations, --audit); default: found from the kubeconfig. */
  cluster?: string;
  context?: string;
  kubeconfig?: string;
  /** The Job's activeDeadlineSeconds. */
  timeoutSeconds: number;
  keep: boolean;
  /** undefined: text on a TTY, json otherwise; yaml for --dry-run. */
  output?: RunOutput;
  /** -o, -v, --fail-on, --ignore as given (cli/report-options.ts resolves them); camunda's Jobs have none. */
  report?: ReportFlagValues;
  dryRun: boolean;
  nodeSelector: Record<string, string>;
  tolerations: Toleration[];
  /** The workload's node affinity (--workload); there is no flag for it. */
  nodeAffinity?: Record<string, unknown>;
  imagePullSecrets: string[];
  /** Everything after `--`, handed to `irsa-doctor check`. */
  agentArgs: string[];
  /** Also read the AWS side from here (irsa-doctor audit) and add it to each report as check `audit`. */
  audit: boolean;
}

export const DEFAULT_RUN_TIMEOUT_SECONDS = 120;
export const DEFAULT_PARALLEL = 4;

/** run's flags, spelled the way kubectl spells them (-n, -A, -o, --context, --kubeconfig, --dry-run). */
export const RUN_FLAGS = {
  namespace: { type: 'string', short: 'n' },
  'service-account': { type: 'string', short: 's' },
  workload: { type: 'string' },
  container: { type: 'string', short: 'c' },
  all: { type: 'boolean' },
  'all-namespaces': { type: 'boolean', short: 'A' },
  parallel: { type: 'string' },
  image: { type: 'string' },
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
  timeout: { type: 'string' },
  keep: { type: 'boolean' },
  ...REPORT_FLAGS,
  'dry-run': { type: 'string' },
  'node-selector': { type: 'string', multiple: true },
  toleration: { type: 'string', multiple: true },
  'image-pull-secret': { type: 'string', multiple: true },
  'image-pull-policy': { type: 'string' },
  'pod-label': { type: 'string', multiple: true },
  'pod-annotation': { type: 'string', multiple: true },
  'priority-class': { type: 'string' },
  'postgres-ca': { type: 'string' },
  'postgres-ca-configmap': { type: 'string' },
  cluster: { type: 'string' },
  audit: { type: 'boolean' },
  // The shell answers --help before run starts; listed so it is a known flag.
  help: { type: 'boolean', short: 'h' },
} as const satisfies FlagTable;

type Values = FlagValues<typeof RUN_FLAGS>;
type ValueFlag = {
  [K in keyof typeof RUN_FLAGS]: (typeof RUN_FLAGS)[K]['type'] extends 'string' ? K : never;
}[keyof typeof RUN_FLAGS];

/** A value a flag may not take (each value of a repeatable flag is checked): when it is bad and what to say. */
interface ValueRule {
  flag: ValueFlag;
  bad(value: string, values: Values): boolean;
  message(value: string, values: Values): string;
}

/** Flags that do not go together, or one that must be given: checked once every value is valid. */
interface OptionsRule {
  broken(options: RunOptions): boolean;
  message(options: RunOptions): string;
}

/** The first broken rule, in this order, is the usage error. */
const VALUE_RULES: readonly ValueRule[] = [
  wholeNumber('parallel', 1, 64),
  wholeNumber('timeout', 1, 86_400),
  {
    flag: 'toleration',
    bad: (v) => parseToleration(v) === undefined,
    message: (v) =>
      `--toleration must be KEY=VALUE:EFFECT, KEY:EFFECT or KEY=VALUE (EFFECT one of ${TAINT_EFFECTS.join(', ')}), not "${v}"`,
  },
  {
    flag: 'dry-run',
    bad: (v) => v === 'server',
    message: () =>
      '--dry-run=server is not supported: the launcher prints the Job itself and never sends it. To have the API server validate it: irsa-doctor run ... --dry-run -o yaml | kubectl apply --dry-run=server -f -',
  },
  {
    flag: 'dry-run',
    bad: (v) => v !== 'client' && v !== 'none',
    message: (v) => `--dry-run must be "client" (or given alone), not "${v}"`,
  },
  {
    flag: 'output',
    bad: (v, values) => !outputsFor(values).includes(v),
    message: (v, values) =>
      `--output must be ${oneOf(outputsFor(values))}${isDryRun(values) ? ' with --dry-run' : ''}, not "${v}"`,
  },
  {
    flag: 'node-selector',
    bad: (v) => nodeSelectorEntry(v) === undefined,
    message: (v) => `--node-selector must be KEY=VALUE with a valid label key and value, not "${v}"`,
  },
  {
    flag: 'image-pull-secret',
    bad: (v) => !isDnsSubdomain(v),
    message: (v) => `--image-pull-secret ${quoted(v)} is not a valid Secret name (${SUBDOMAIN_RULE})`,
  },
  {
    flag: 'namespace',
    bad: (v) => !isDnsLabel(v),
    message: (v) =>
      `namespace ${quoted(v)} is not a valid namespace name (at most 63 characters: lowercase letters, digits and "-", starting and ending with a letter or digit)`,
  },
  {
    flag: 'service-account',
    bad: (v) => !isDnsSubdomain(v),
    message: (v) => `ServiceAccount ${quoted(v)} is not a valid ServiceAccount name (${SUBDOMAIN_RULE})`,
  },
  {
    flag: 'workload',
    bad: (v) => parseWorkloadRef(v) === undefined,
    message: (v) =>
      `--workload must be deploy/NAME, sts/NAME or job/NAME (kubectl's spelling), not ${quoted(v)}`,
  },
  {
    flag: 'image',
    bad: (v) => !isImageReference(v),
    message: (v) => `--image "${v}" is not an image reference`,
  },
  {
    flag: 'image-pull-policy',
    bad: (v) => !(PULL_POLICIES as readonly string[]).includes(v),
    message: (v) => `--image-pull-policy must be ${PULL_POLICIES.join(', ')}, not ${quoted(v)}`,
  },
  metadataRule('pod-label', labelEntry),
  metadataRule('pod-annotation', annotationEntry),
  {
    flag: 'priority-class',
    bad: (v) => !isDnsSubdomain(v),
    message: (v) => `--priority-class ${quoted(v)} is not a valid PriorityClass name (${SUBDOMAIN_RULE})`,
  },
  {
    flag: 'postgres-ca-configmap',
    bad: (v) => configMapRef(v) === undefined,
    message: (v) =>
      `--postgres-ca-configmap must be NAME or NAME/KEY with a valid ConfigMap name (${SUBDOMAIN_RULE}) and key (letters, digits, "-", "_" and "."), not ${quoted(v)}`,
  },
  {
    flag: 'cluster',
    bad: (v) => !/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(v),
    message: (v) =>
      `--cluster ${quoted(v)} is not an EKS cluster name (at most 100 letters, digits, "-" and "_", starting with a letter or digit)`,
  },
];

const OPTIONS_RULES: readonly OptionsRule[] = [
  {
    broken: (o) => o.all && o.serviceAccount !== undefined,
    message: () => 'give either -s SERVICE_ACCOUNT or --all, not both',
  },
  {
    broken: (o) => o.workload !== undefined && (o.all || o.serviceAccount !== undefined),
    message: () =>
      "--workload runs as the workload's own ServiceAccount: give it without -s SERVICE_ACCOUNT or --all",
  },
  {
    broken: (o) => o.container !== undefined && o.workload === undefined,
    message: () =>
      '-c/--container names the container of --workload whose configuration is read: give it with --workload KIND/NAME',
  },
  {
    broken: (o) => o.workload !== undefined && o.dryRun,
    message: () =>
      '--dry-run contacts no cluster, and --workload must read the workload: use -s SERVICE_ACCOUNT with --node-selector/--toleration',
  },
  {
    broken: (o) => o.allNamespaces && o.namespace !== undefined,
    message: () => 'give either -n NAMESPACE or -A, not both',
  },
  {
    broken: (o) => !o.all && o.serviceAccount === undefined && o.workload === undefined,
    message: () =>
      'which ServiceAccount? Pass -s SERVICE_ACCOUNT, --workload deploy/NAME (or --all for every annotated one)',
  },
  { broken: (o) => o.all && o.dryRun, message: () => '--dry-run prints one Job: use it with -s, not --all' },
  {
    broken: (o) => annotationBytes(o.podAnnotations) > MAX_ANNOTATION_BYTES,
    message: (o) =>
      `--pod-annotation values add up to ${annotationBytes(o.podAnnotations)} bytes; Kubernetes allows ${MAX_ANNOTATION_BYTES} for all annotations of a pod`,
  },
  {
    // With --workload, the workload's own configuration may name the Aurora target (checked once read).
    broken: (o) =>
      o.postgresCa !== undefined &&
      o.workload === undefined &&
      !o.agentArgs.some((a) => /^--postgres(=|$)/.test(a)),
    message: () =>
      'a CA bundle (--postgres-ca / --postgres-ca-configmap) is for the agent\'s Aurora targets: add --postgres HOST after "--"',
  },
  {
    broken: (o) => o.postgresCa !== undefined && o.agentArgs.some((a) => /^--postgres-ca(=|$)/.test(a)),
    message: () =>
      '--postgres-ca after "--" names a file inside the image; give the bundle once, either to run (--postgres-ca FILE or --postgres-ca-configmap NAME) or to the agent',
  },
  {
    // The launcher reads the agent's JSON, so the agent's format is not the user's to choose.
    broken: (o) => outputInAgentArgs(o.agentArgs) !== undefined,
    message: (o) =>
      `"${outputInAgentArgs(o.agentArgs)}" after "--": the launcher reads the agent's JSON; choose the format with run's own --output`,
  },
];

/**
 * Parses argv after `run`. Throws UsageError for anything kubectl users would call a usage error. `env`
 * supplies IRSA_DOCTOR_IMAGE, the default image (a mirror every run of a team uses).
 */
export function parseRunArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): RunOptions {
  const { values, positionals, rest } = parseFlags(spellDryRun(argv), RUN_FLAGS, { positionals: true });
  if (positionals.length > 0) {
    throw new UsageError(
      `unexpected argument "${positionals[0]}"; agent flags go after "--" (e.g. run -n NS -s SA -- --postgres HOST)`,
    );
  }
  for (const rule of VALUE_RULES) {
    const given = values[rule.flag];
    for (const v of typeof given === 'string' ? [given] : (given ?? [])) {
      if (rule.bad(v, values)) throw new UsageError(rule.message(v, values));
    }
  }
  if (values['postgres-ca'] !== undefined && values['postgres-ca-configmap'] !== undefined)
    throw new UsageError('give either --postgres-ca FILE or --postgres-ca-configmap NAME, not both');
  const envImage = env.IRSA_DOCTOR_IMAGE?.trim() || undefined;
  if (values.image === undefined && envImage !== undefined && !isImageReference(envImage))
    throw new UsageError(`IRSA_DOCTOR_IMAGE ${quoted(envImage)} is not an image reference`);
  const options = toOptions(values, rest, envImage);
  const broken = OPTIONS_RULES.find((rule) => rule.broken(options));
  if (broken) throw new UsageError(broken.message(options));
  checkAgentArgs(options.agentArgs, options.timeoutSeconds);
  return options;
}

/** Valid values -> options, with the defaults filled in. */
function toOptions(v: Values, agentArgs: string[], envImage: string | undefined): RunOptions {
  const image = v.image ?? envImage ?? DEFAULT_IMAGE;
  const caMap =
    v['postgres-ca-configmap'] === undefined ? undefined : configMapRef(v['postgres-ca-configmap']);
  const postgresCa: PostgresCaSource | undefined =
    v['postgres-ca'] !== undefined
      ? { kind: 'file', file: v['postgres-ca'] }
      : caMap
        ? { kind: 'configMap', ...caMap }
        : undefined;
  return {
    namespace: v.namespace,
    serviceAccount: v['service-account'],
    ...(v.workload !== undefined ? { workload: parseWorkloadRef(v.workload)! } : {}),
    ...(v.container !== undefined ? { container: v.container } : {}),
    all: Boolean(v.all || v['all-namespaces']),
    allNamespaces: Boolean(v['all-namespaces']),
    parallel: v.parallel === undefined ? DEFAULT_PARALLEL : Number(v.parallel),
    image,
    imagePullPolicy: (v['image-pull-policy'] as PullPolicy | undefined) ?? defaultPullPolicy(image),
    podLabels: entries(v['pod-label'], labelEntry),
    podAnnotations: entries(v['pod-annotation'], annotationEntry),
    ...(v['priority-class'] !== undefined ? { priorityClass: v['priority-class'] } : {}),
    ...(postgresCa ? { postgresCa } : {}),
    ...(v.cluster !== undefined ? { cluster: v.cluster } : {}),
    context: v.context,
    kubeconfig: v.kubeconfig,
    timeoutSeconds: v.timeout === undefined ? DEFAULT_RUN_TIMEOUT_SECONDS : Number(v.timeout),
    keep: Boolean(v.keep),
    output: v.output as RunOutput | undefined,
    report: { output: v.output, verbose: v.verbose, 'fail-on': v['fail-on'], ignore: v.ignore },
    dryRun: isDryRun(v),
    nodeSelector: Object.fromEntries((v['node-selector'] ?? []).map((s) => nodeSelectorEntry(s)!)),
    tolerations: (v.toleration ?? []).map((t) => parseToleration(t)!),
    imagePullSecrets: v['image-pull-secret'] ?? [],
    agentArgs,
    audit: Boolean(v.audit),
  };
}

function metadataRule(flag: 'pod-label' | 'pod-annotation', parse: (v: string) => MetadataEntry): ValueRule {
  return {
    flag,
    bad: (v) => !parse(v).ok,
    message: (v) => {
      const r = parse(v);
      return `--${flag} ${quoted(v)}: ${r.ok ? '' : r.problem}`;
    },
  };
}

/** Valid KEY=VALUE values -> a map; a key given twice keeps its last value, as kubectl does. */
function entries(values: string[] | undefined, parse: (v: string) => MetadataEntry): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const r = parse(v);
    if (r.ok) out[r.key] = r.value;
  }
  return out;
}

/** NAME or NAME/KEY; a ConfigMap key is what the API server accepts for data keys. */
function configMapRef(raw: string): { name: string; key: string } | undefined {
  const slash = raw.indexOf('/');
  const name = slash < 0 ? raw : raw.slice(0, slash);
  const key = slash < 0 ? DEFAULT_CA_KEY : raw.slice(slash + 1);
  const keyOk = key.length <= 253 && /^[-._a-zA-Z0-9]+$/.test(key) && key !== '.' && key !== '..';
  return isDnsSubdomain(name) && keyOk ? { name, key } : undefined;
}

/** Loose on purpose (registries differ); only what can never be an image reference is refused. */
function isImageReference(v: string): boolean {
  return v.trim() !== '' && !/\s/.test(v);
}

function wholeNumber(flag: 'parallel' | 'timeout', min: number, max: number): ValueRule {
  return {
    flag,
    bad: (v) => {
      const n = Number(v);
      return !Number.isInteger(n) || n < min || n > max;
    },
    message: (v) => `--${flag} must be a whole number between ${min} and ${max}, not "${v}"`,
  };
}

const SUBDOMAIN_RULE =
  'at most 253 characters: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit';

/** A value for a message: JSON-quoted (control characters escaped) and cut, since it may be 300 characters. */
function quoted(v: string): string {
  return (
    JSON.stringify(v.length > 70 ? `${v.slice(0, 60)}…` : v) +
    (v.length > 70 ? ` (${v.length} characters)` : '')
  );
}

function isDryRun(v: Values): boolean {
  return v['dry-run'] !== undefined && v['dry-run'] !== 'none';
}

function outputsFor(v: Values): readonly string[] {
  return isDryRun(v) ? ['yaml', 'json'] : REPORT_FORMATS;
}

function nodeSelectorEntry(raw: string): [string, string] | undefined {
  const eq = raw.indexOf('=');
  if (eq < 0) return undefined;
  const [k, v] = [raw.slice(0, eq), raw.slice(eq + 1)];
  return LABEL_KEY.test(k) && LABEL_VALUE.test(v) ? [k, v] : undefined;
}

function outputInAgentArgs(agentArgs: readonly string[]): string | undefined {
  return agentArgs.find((a) => a === '-o' || a.startsWith('--output') || /^-o\S/.test(a));
}

const DRY_RUN_MODES = new Set(['client', 'server', 'none']);

/**
 * kubectl spells it `--dry-run=client`, older kubectl `--dry-run` alone, and users type
 * `--dry-run client`: a lone `--dry-run` would otherwise take the next flag as its value (or none),
 * so each form becomes `--dry-run=MODE` first. Agent flags after `--` stay as they are.
 */
function spellDryRun(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return [...out, ...argv.slice(i)];
    if (a !== '--dry-run') {
      out.push(a);
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && DRY_RUN_MODES.has(next)) {
      out.push(`--dry-run=${next}`);
      i++;
    } else out.push('--dry-run=client');
  }
  return out;
}
