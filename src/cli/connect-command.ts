// How a command that talks to a cluster starts (run, camunda, audit): connectKube, and its failure
// reported the one way users see from all of them.
import { type ConnectRequest, connectKube, type KubeConnection } from '../kube/connect-kube.js';
import { EXIT } from './exit-codes.js';
import type { Io } from './io.js';
import { UsageError } from './usage-error.js';

type Connected = Extract<KubeConnection, { ok: true }>;

/**
 * The connection, or the exit code of the signal that interrupted its exec plugin (`caught`: the
 * command's trapped SIGINT/SIGTERM, if it traps them). A kubeconfig or credential problem is a usage
 * error with its fix (exit 2); the connection's notice goes to stderr, named after `command`.
 */
export async function connectCommand(
  command: string,
  req: ConnectRequest,
  io: Io,
  caught: () => keyof typeof EXIT | undefined = () => undefined,
): Promise<{ connection: Connected } | { exit: number }> {
  const connection = await connectKube(req);
  if (!connection.ok) {
    const sig = caught();
    if (connection.kind === 'interrupted' && sig) return { exit: EXIT[sig] };
    throw new UsageError(connection.message, fixLine(connection.fix));
  }
  if (connection.notice) io.stderr.write(`irsa-doctor ${command}: ${connection.notice}\n`);
  return { connection };
}

/** The second line of a usage error: `Fix: ...`, or nothing without a fix. */
export function fixLine(fix: string | undefined): string {
  return fix ? `Fix: ${fix}` : '';
}
