import { parseArgs } from 'node:util';
import { DNS_LABEL, DNS_SUBDOMAIN, LABEL_KEY, LABEL_VALUE } from '../../kube/kube-names.js';
import { DEFAULT_IMAGE } from '../job/image.js';
import { RunUsageError } from '../run-usage-error.js';
import { parseToleration, type Toleration } from './parse-toleration.js';

export type RunOutput = 'text' | 'json' | 'yaml';

/** What `irsa-doctor run` was asked to do. */
export interface RunOptions {
  /** undefined: the kubeconfig context's namespace, else "default" (kubectl's rule). */
  namespace?: string;
  serviceAccount?: string;
  /** One Job per annotated ServiceAccount of the namespace (or of all namespaces with allNamespaces). */
  all: boolean;
  allNamespaces: boolean;
  parallel: number;
  image: string;
  context?: string;
  kubeconfig?: string;
  /** The Job's activeDeadlineSeconds. */
  timeoutSeconds: number;
  keep: boolean;
  /** undefined: text on a TTY, json otherwise; yaml for --dry-run. */
  output?: RunOutput;
  dryRun: boolean;
  nodeSelector: Record<string, string>;
  tolerations: Toleration[];
  imagePullSecrets: string[];
  /** Everything after `--`, handed to `irsa-doctor check`. */
  agentArgs: string[];
  help: boolean;
}

export const DEFAULT_RUN_TIMEOUT_SECONDS = 120;
export const DEFAULT_PARALLEL = 4;

/** Parses argv after `run`. Throws RunUsageError for anything kubectl users would call a usage error. */
export function parseRunArgs(argv: readonly string[]): RunOptions {
  const dash = argv.indexOf('--');
  const own = joinDryRun(dash < 0 ? [...argv] : argv.slice(0, dash));
  const agentArgs = dash < 0 ? [] : argv.slice(dash + 1);
  let values: ReturnType<typeof parse>['values'];
  let positionals: string[];
  try {
    ({ values, positionals } = parse(own));
  } catch (e) {
    throw new RunUsageError((e as Error).message);
  }
  if (positionals.length > 0) {
    throw new RunUsageError(
      `unexpected argument "${positionals[0]}"; agent flags go after "--" (e.g. run -n NS -s SA -- --postgres HOST)`,
    );
  }
  const opts: RunOptions = {
    all: Boolean(values.all) || Boolean(values['all-namespaces']),
    allNamespaces: Boolean(values['all-namespaces']),
    parallel: intFlag('--parallel', values.parallel, DEFAULT_PARALLEL, 1, 64),
    image: values.image ?? DEFAULT_IMAGE,
    timeoutSeconds: intFlag('--timeout', values.timeout, DEFAULT_RUN_TIMEOUT_SECONDS, 1, 86400),
    keep: Boolean(values.keep),
    dryRun: values['dry-run'] !== undefined && values['dry-run'] !== 'none',
    nodeSelector: {},
    tolerations: (values.toleration ?? []).map(parseToleration),
    imagePullSecrets: values['image-pull-secret'] ?? [],
    agentArgs,
    help: Boolean(values.help),
  };
  if (opts.help) return opts;
  for (const [k, v] of Object.entries({
    namespace: values.namespace,
    serviceAccount: values['service-account'],
    context: values.context,
    kubeconfig: values.kubeconfig,
  })) {
    if (v !== undefined) (opts as unknown as Record<string, unknown>)[k] = v;
  }
  const dry = values['dry-run'];
  if (dry === 'server') {
    throw new RunUsageError(
      '--dry-run=server is not supported: the launcher prints the Job itself and never sends it. To have the API server validate it: irsa-doctor run ... --dry-run -o yaml | kubectl apply --dry-run=server -f -',
    );
  }
  if (dry !== undefined && dry !== 'client' && dry !== 'none') {
    throw new RunUsageError(`--dry-run must be "client" (or given alone), not "${dry}"`);
  }
  const output = values.output;
  if (output !== undefined) {
    const allowed = opts.dryRun ? ['yaml', 'json'] : ['text', 'json'];
    if (!allowed.includes(output)) {
      throw new RunUsageError(
        `--output must be ${allowed.join(' or ')}${opts.dryRun ? ' with --dry-run' : ''}, not "${output}"`,
      );
    }
    opts.output = output as RunOutput;
  }
  for (const sel of values['node-selector'] ?? []) {
    const eq = sel.indexOf('=');
    const [k, v] = eq < 0 ? [sel, ''] : [sel.slice(0, eq), sel.slice(eq + 1)];
    if (eq < 0 || !LABEL_KEY.test(k) || !LABEL_VALUE.test(v)) {
      throw new RunUsageError(
        `--node-selector must be KEY=VALUE with a valid label key and value, not "${sel}"`,
      );
    }
    opts.nodeSelector[k] = v;
  }
  for (const s of opts.imagePullSecrets) {
    if (!DNS_SUBDOMAIN.test(s))
      throw new RunUsageError(`--image-pull-secret "${s}" is not a valid Secret name`);
  }
  if (opts.namespace !== undefined && !DNS_LABEL.test(opts.namespace)) {
    throw new RunUsageError(`namespace "${opts.namespace}" is not a valid namespace name`);
  }
  if (opts.serviceAccount !== undefined && !DNS_SUBDOMAIN.test(opts.serviceAccount)) {
    throw new RunUsageError(`ServiceAccount "${opts.serviceAccount}" is not a valid ServiceAccount name`);
  }
  if (opts.all && opts.serviceAccount)
    throw new RunUsageError('give either -s SERVICE_ACCOUNT or --all, not both');
  if (opts.allNamespaces && opts.namespace)
    throw new RunUsageError('give either -n NAMESPACE or -A, not both');
  if (!opts.all && !opts.serviceAccount) {
    throw new RunUsageError(
      'which ServiceAccount? Pass -s SERVICE_ACCOUNT (or --all for every annotated one)',
    );
  }
  if (opts.all && opts.dryRun) throw new RunUsageError('--dry-run prints one Job: use it with -s, not --all');
  if (opts.image.trim() === '' || /\s/.test(opts.image))
    throw new RunUsageError(`--image "${opts.image}" is not an image reference`);
  const clash = agentArgs.find((a) => a === '-o' || a.startsWith('--output') || /^-o\S/.test(a));
  if (clash) {
    throw new RunUsageError(
      `"${clash}" after "--": the launcher reads the agent's JSON; choose the format with run's own --output`,
    );
  }
  return opts;
}

const DRY_RUN_VALUES = new Set(['client', 'server', 'none']);

/**
 * kubectl spells it `--dry-run=client`, older kubectl `--dry-run` alone, and users type
 * `--dry-run client`: parseArgs would read a lone `--dry-run` as wanting the next argument (or
 * none), so each form is turned into `--dry-run=VALUE` first.
 */
function joinDryRun(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a !== '--dry-run') {
      out.push(a);
      continue;
    }
    const next = args[i + 1];
    if (next !== undefined && DRY_RUN_VALUES.has(next)) {
      out.push(`--dry-run=${next}`);
      i++;
    } else out.push('--dry-run=client');
  }
  return out;
}

function intFlag(name: string, raw: string | undefined, dflt: number, min: number, max: number): number {
  if (raw === undefined) return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new RunUsageError(`${name} must be a whole number between ${min} and ${max}, not "${raw}"`);
  }
  return n;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      namespace: { type: 'string', short: 'n' },
      'service-account': { type: 'string', short: 's' },
      all: { type: 'boolean' },
      'all-namespaces': { type: 'boolean', short: 'A' },
      parallel: { type: 'string' },
      image: { type: 'string' },
      context: { type: 'string' },
      kubeconfig: { type: 'string' },
      timeout: { type: 'string' },
      keep: { type: 'boolean' },
      output: { type: 'string', short: 'o' },
      'dry-run': { type: 'string' },
      'node-selector': { type: 'string', multiple: true },
      toleration: { type: 'string', multiple: true },
      'image-pull-secret': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
