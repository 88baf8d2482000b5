// Wires the kubelet to the loopback EKS identity stack: pods reach its STS and IMDS, trust its CA,
// and their projected tokens are signed by its OIDC issuer.
import type { EksStack } from './eks-stack.js';
import type { PodRuntime } from './kubelet.js';

/** Variables only the pod identity webhook injects; the node never provides them. */
const WEBHOOK_VARS = [
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_STS_REGIONAL_ENDPOINTS',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
];

export async function eksPodRuntime(stack: EksStack, cli: string): Promise<PodRuntime> {
  const nodeEnv = await stack.podEnv({ omit: WEBHOOK_VARS });
  return {
    entrypoint: [process.execPath, cli],
    nodeEnv,
    mintToken: (r) =>
      stack.issuer.mintToken({
        namespace: r.namespace,
        serviceAccount: r.serviceAccount,
        podName: r.podName,
        podUid: r.podUid,
        nodeName: r.nodeName,
        audience: r.audience,
        expiresInSeconds: r.expiresInSeconds,
      }),
  };
}
