import {
  MAX_METADATA_BODY_BYTES,
  type MetadataResponse,
  metadataRequest,
} from '../../lib/metadata-request.js';
import { SDK_METADATA_TIMEOUT_MS, stepBudget } from '../aws/sdk-options.js';
import { fact } from '../fact.js';
import { openNetworkPath, type PathOutcome } from '../net/network-path.js';

export interface ContainerProbe {
  url: string;
  answered: boolean;
  response: MetadataResponse;
  detail: string;
  /** The way the probe went (through a proxy, or direct: never for the agent's link-local address). */
  path?: PathOutcome;
}

/**
 * Whether the container credentials endpoint (the EKS Pod Identity agent) answers HTTP at all. Sent
 * without the token: the agent answers 400 to that, which proves the path works and spends nothing.
 */
export const probeContainerEndpoint = fact(
  'container-endpoint-probe',
  async (ctx): Promise<ContainerProbe> => {
    const url = ctx.env.AWS_CONTAINER_CREDENTIALS_FULL_URI
      ? ctx.env.AWS_CONTAINER_CREDENTIALS_FULL_URI
      : `http://169.254.170.2${ctx.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ?? ''}`;
    let response: MetadataResponse;
    let path: PathOutcome | undefined;
    try {
      new URL(url);
      const ms = stepBudget(ctx, SDK_METADATA_TIMEOUT_MS * 2);
      const open = openNetworkPath(ctx, url, ms);
      response =
        open.route.via === 'invalid'
          ? {
              kind: 'error',
              errno: 'ERR_PROXY_INVALID',
              detail: `${open.route.variable} ${open.route.problem}`,
              ms: 0,
              stalledMs: 0,
            }
          : await metadataRequest(url, { timeoutMs: ms, agent: open.router.agentFor(url) });
      path = await open.settle();
    } catch (e) {
      response = {
        kind: 'error',
        errno: 'ERR_INVALID_URL',
        detail: (e as Error).message,
        ms: 0,
        stalledMs: 0,
      };
    }
    const detail =
      response.kind === 'response'
        ? `answered HTTP ${response.status}${response.truncated ? ` with more than ${MAX_METADATA_BODY_BYTES} bytes (the agent's answers are a few hundred)` : ''}`
        : response.kind === 'timeout'
          ? response.phase === 'connect'
            ? `no TCP connection within ${response.ms} ms`
            : `connected, but no HTTP answer within ${response.ms} ms`
          : `${response.errno}: ${response.detail}`;
    // A 407 comes from the proxy, not the agent: nothing at the agent's address answered.
    const answered = response.kind === 'response' && !path?.proxyFailure;
    return { url, answered, response, detail, ...(path ? { path } : {}) };
  },
);
