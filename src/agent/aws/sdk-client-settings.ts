import { CappedHttpHandler } from '../../aws/capped-http-handler.js';
import type { ProxyRouter } from '../../lib/proxy/proxy-router.js';

// Loaded with the SDK (sdk-modules.ts): the handler class extends the SDK's own. The timeouts' reasons
// are in sdk-options.ts.

export interface SdkClientSettings {
  region: string;
  maxAttempts: 1;
  requestHandler: CappedHttpHandler;
}

/**
 * A handler for one step: its timeouts, a cap on every body it reads (capped-http-handler.ts), and the
 * router's agents, which send each request through the proxy or direct as the AWS CLI would. A new one
 * per client, since destroying a client destroys its handler and its agents.
 */
function stepHandler(stepMs: number, router: ProxyRouter): CappedHttpHandler {
  const ms = Math.max(1, Math.round(stepMs));
  return new CappedHttpHandler({
    connectionTimeout: ms,
    requestTimeout: ms,
    throwOnRequestTimeout: true,
    httpAgent: router.httpAgent,
    httpsAgent: router.httpsAgent,
  });
}

/** Settings for an SDK client whose calls must finish within `stepMs`, sent by `router`'s agents. */
export function sdkClientSettings(region: string, stepMs: number, router: ProxyRouter): SdkClientSettings {
  return { region, maxAttempts: 1, requestHandler: stepHandler(stepMs, router) };
}
