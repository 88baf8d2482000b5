import {
  MAX_METADATA_BODY_BYTES,
  type MetadataResponse,
  metadataRequest,
} from '../../lib/metadata-request.js';
import { SDK_METADATA_TIMEOUT_MS, stepBudget } from '../aws/sdk-options.js';
import { fact } from '../fact.js';

export interface ContainerProbe {
  url: string;
  answered: boolean;
  response: MetadataResponse;
  detail: string;
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
    try {
      new URL(url);
      response = await metadataRequest(url, { timeoutMs: stepBudget(ctx, SDK_METADATA_TIMEOUT_MS * 2) });
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
    return { url, answered: response.kind === 'response', response, detail };
  },
);
