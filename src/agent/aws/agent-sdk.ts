/** The SDK modules the agent uses (sdk-modules.ts), as the dynamic import gives them. */
export type AgentSdk = typeof import('./sdk-modules.js');

let loading: Promise<AgentSdk> | undefined;

/**
 * The AWS SDK, loaded when a check first needs it rather than when the agent starts. Compiling and
 * evaluating its modules is the largest single piece of the agent's start-up: a run that needs no SDK
 * (`--list`, the local checks alone) never pays it, and in a full run the checks that need none (the
 * token and issuer reads) send their requests before it loads, so the peers answer meanwhile. The IMDS
 * probe waits for it instead (imds-check.ts). Loaded once; every caller shares it.
 */
export function agentSdk(): Promise<AgentSdk> {
  loading ??= import('./sdk-modules.js');
  return loading;
}
