import { fact } from '../fact.js';
import { podServiceAccount } from './pod-service-account.js';
import { irsaToken, podIdentityToken } from './token-files.js';

/** Who this pod is, for the report header and for fixes that name it. */
export interface PodFacts {
  namespace?: string;
  serviceAccount?: string;
  pod?: string;
  node?: string;
}

/**
 * Namespace, ServiceAccount, pod and node from the best witness present: the IRSA token's
 * kubernetes.io claim, else the Pod Identity token's, else the pod's own API ServiceAccount mount (and
 * HOSTNAME for the pod name). All local reads; no network.
 */
export const podFacts = fact('pod-facts', async (ctx): Promise<PodFacts> => {
  const [irsa, podId, mount] = await Promise.all([
    irsaToken(ctx),
    podIdentityToken(ctx),
    podServiceAccount(ctx),
  ]);
  const claims =
    (irsa.ok ? irsa.claims.kubernetes : undefined) ?? (podId.ok ? podId.claims.kubernetes : undefined);
  const out: PodFacts = {};
  const namespace = claims?.namespace ?? mount.namespace;
  const serviceAccount = claims?.serviceaccount?.name ?? mount.serviceAccount;
  const pod = claims?.pod?.name ?? ctx.env.HOSTNAME;
  if (namespace) out.namespace = namespace;
  if (serviceAccount) out.serviceAccount = serviceAccount;
  if (pod) out.pod = pod;
  if (claims?.node?.name) out.node = claims.node.name;
  return out;
});
