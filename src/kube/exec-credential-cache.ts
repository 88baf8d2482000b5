import {
  type ExecOutcome,
  type ExecPlugin,
  type ExecRunOptions,
  type ExecSuccess,
  runExecPlugin,
} from './exec-credential.js';

const cached = new Map<string, ExecSuccess>();
const running = new Map<string, Promise<ExecOutcome>>();

/**
 * The plugin's credential, run at most once at a time and reused for the process's lifetime until
 * its expirationTimestamp, as client-go does (same plugin and cluster = same credential). Failures
 * are not kept: the next call runs the plugin again, as kubectl would on its next request.
 */
export async function cachedExecCredential(
  plugin: ExecPlugin,
  opts: ExecRunOptions & { now?: () => number } = {},
): Promise<ExecOutcome> {
  const key = cacheKey(plugin);
  const now = opts.now ?? Date.now;
  const hit = cached.get(key);
  if (hit && (hit.expiresAt === undefined || now() < hit.expiresAt)) return hit;
  let pending = running.get(key);
  if (!pending) {
    pending = runExecPlugin(plugin, opts).then((outcome) => {
      running.delete(key);
      if (outcome.ok) cached.set(key, outcome);
      else cached.delete(key);
      return outcome;
    });
    running.set(key, pending);
  }
  return pending;
}

/** For tests: forget every cached credential. */
export function clearExecCredentialCache(): void {
  cached.clear();
}

function cacheKey(p: ExecPlugin): string {
  return JSON.stringify([
    p.command,
    p.args,
    p.env,
    p.apiVersion,
    p.interactiveMode,
    p.provideClusterInfo && p.cluster,
  ]);
}
