import { CappedHttpHandler } from '../../aws/capped-http-handler.js';

// Loaded with the SDK (sdk-modules.ts): the handler class extends the SDK's own. The timeouts' reasons
// are in sdk-options.ts.

export interface SdkClientSettings {
  region: string;
  maxAttempts: 1;
  requestHandler: CappedHttpHandler;
}

/**
 * A handler for one step: its timeouts, and a cap on every body it reads (capped-http-handler.ts). A
 * new one per client, since destroying a client destroys its handler.
 */
function stepHandler(stepMs: number): CappedHttpHandler {
  const ms = Math.max(1, Math.round(stepMs));
  return new CappedHttpHandler({ connectionTimeout: ms, requestTimeout: ms, throwOnRequestTimeout: true });
}

/** Settings for an SDK client whose calls must finish within `stepMs`. */
export function sdkClientSettings(region: string, stepMs: number): SdkClientSettings {
  return { region, maxAttempts: 1, requestHandler: stepHandler(stepMs) };
}
