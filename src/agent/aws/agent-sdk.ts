/** The SDK modules the agent uses (sdk-modules.ts), as the dynamic import gives them. */
export type AgentSdk = typeof import('./sdk-modules.js');

let loading: Promise<AgentSdk> | undefined;

/**
 * The AWS SDK, loaded when a run needs it rather than when the agent starts. Compiling and evaluating
 * its modules is the largest single piece of the agent's start-up, which `--list`, `help` and a run of
 * SDK-free checks alone (Check.sdkFree) never pay. A run that needs it loads it before its checks start
 * (command.ts), not in the middle: on a busy node the load stalls the process for hundreds of
 * milliseconds, and inside a check's timed wait (the IMDS probe's second, a stat() bounded at one) that
 * stall would make the timeout unattributable or fire it falsely (measured: IMDS-UNDETERMINED for a
 * blocked IMDS, and an env failure for a config file that answered, at load 16 on 2 cores).
 */
export function agentSdk(): Promise<AgentSdk> {
  loading ??= import('./sdk-modules.js');
  return loading;
}
