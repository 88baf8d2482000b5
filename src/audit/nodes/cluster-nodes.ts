import type { V1Node } from '@kubernetes/client-node';
import { sweepFact } from '../audit-context.js';
import { type KubeRead, kubeRead } from '../kube-read.js';

/** Every node of the cluster, listed once per audit however many ServiceAccounts need them. */
export const clusterNodes = sweepFact(
  'cluster-nodes',
  (ctx): Promise<KubeRead<V1Node[]>> => kubeRead('list', 'nodes', () => ctx.sweep.kube.listNodes()),
);

/**
 * The EC2 instance behind a node, from the `spec.providerID` the AWS cloud provider writes
 * (`aws:///eu-west-1a/i-0abc...`). Fargate nodes (`aws:///AZ/HASH/fargate-ip-...`), other clouds and
 * nodes without one have no instance.
 */
export function instanceOfProviderId(
  providerId: string | undefined,
): { availabilityZone: string; instanceId: string } | undefined {
  const m = /^aws:\/\/\/([a-z0-9-]*)\/(i-[0-9a-f]{8,17})$/.exec(providerId?.trim() ?? '');
  return m ? { availabilityZone: m[1]!, instanceId: m[2]! } : undefined;
}
