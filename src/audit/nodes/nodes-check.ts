import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { AuditCheck } from '../audit-check.js';
import { awsFailureFinding, kubeFailureFinding } from '../failure-findings.js';
import { namespacePods, podsOf } from '../pods/namespace-pods.js';
import { workloadIdentity } from '../serviceaccount/workload-identity.js';
import { clusterNodes, instanceOfProviderId } from './cluster-nodes.js';
import { type InstanceMetadata, nodeInstances } from './node-instances.js';

/**
 * Can this ServiceAccount's pods read the node role from IMDS? That is the silent fallback when IRSA or
 * Pod Identity breaks: with IMDSv1 allowed, or a hop limit above 1, the SDK finds the node's credentials.
 */
export const nodesCheck: AuditCheck = {
  id: 'audit-nodes',
  title: "Nodes of the ServiceAccount's pods: IMDS reachable from pods",
  async run(ctx) {
    const id = await workloadIdentity(ctx);
    if (!id.known) return [];
    const who = `${ctx.namespace}/${ctx.serviceAccount}`;
    const listed = await namespacePods(ctx, ctx.namespace);
    if (!listed.ok) return [kubeFailureFinding(listed, `the pods of ${ctx.namespace}`)];
    const pods = podsOf(listed.value, ctx.serviceAccount);
    if (pods.length === 0)
      return [finding('NODES-NONE', `No pod runs as ${who}, so there is no node to look at.`)];
    const nodeNames = [...new Set(pods.flatMap((p) => (p.spec?.nodeName ? [p.spec.nodeName] : [])))];
    if (nodeNames.length === 0)
      return [
        finding(
          'NODES-NONE',
          `None of the ${pods.length} pod(s) of ${who} is on a node yet (all pending), so there is no node to look at.`,
        ),
      ];
    const instances = await nodeInstances(ctx);
    if (instances.state === 'nodes-unreadable')
      return [kubeFailureFinding(instances.read, `the nodes that run the pods of ${who}`)];
    const nodes = await clusterNodes(ctx);
    const providerIds = new Map(
      (nodes.ok ? nodes.value : []).map((n) => [n.metadata?.name ?? '', n.spec?.providerID]),
    );
    const onEc2 = nodeNames.flatMap((node) => {
      const i = instanceOfProviderId(providerIds.get(node));
      return i ? [{ node, instanceId: i.instanceId }] : [];
    });
    const notEc2 = nodeNames.filter((n) => !onEc2.some((e) => e.node === n));
    if (onEc2.length === 0)
      return [
        finding(
          'NODES-NONE',
          `The pods of ${who} run on node(s) without an EC2 instance (Fargate, or no aws providerID): ${notEc2.join(', ')}.`,
          { details: { nodes: notEc2.map((n) => ({ node: n, providerID: providerIds.get(n) ?? null })) } },
        ),
      ];
    if (!instances.byInstance.ok)
      return [awsFailureFinding(instances.byInstance, `the IMDS settings of the nodes that run ${who}`)];
    const byInstance = instances.byInstance.value;
    const seen = onEc2.map((n) => ({ ...n, metadata: byInstance.get(n.instanceId) }));
    const described = seen.filter(
      (s): s is typeof s & { metadata: InstanceMetadata } => s.metadata !== undefined,
    );
    const unknown = seen.filter((s) => s.metadata === undefined).map((s) => s.instanceId);
    const base = {
      nodes: seen.map((s) => ({
        node: s.node,
        instanceId: s.instanceId,
        ...(s.metadata
          ? {
              httpTokens: s.metadata.httpTokens,
              httpPutResponseHopLimit: s.metadata.httpPutResponseHopLimit,
              httpEndpoint: s.metadata.httpEndpoint,
            }
          : { described: false }),
      })),
      ...(notEc2.length ? { nodesWithoutInstance: notEc2 } : {}),
      ...(unknown.length ? { instancesNotFound: unknown } : {}),
    };
    if (described.length === 0)
      return [
        finding(
          'NODES-NONE',
          `EC2 in ${ctx.sweep.aws.region} does not know the instance(s) behind the nodes of ${who} (${unknown.join(', ')}): terminated, or in another region or account.`,
          { details: base },
        ),
      ];
    // With IMDS off there is no node role to fall back to, whatever the other settings say.
    const open = described.filter((s) => s.metadata.httpEndpoint !== 'disabled');
    const v1 = open.filter((s) => s.metadata.httpTokens === 'optional');
    const hops = open.filter((s) => (s.metadata.httpPutResponseHopLimit ?? 1) > 1);
    const ids = (xs: typeof described) => xs.map((s) => s.instanceId).join(' ');
    const out: Finding[] = [];
    if (v1.length > 0)
      out.push(
        finding(
          'NODES-IMDSV1',
          `${v1.length} of ${described.length} instance(s) behind the nodes of ${who} answer IMDSv1 (HttpTokens optional): ${v1.map((s) => `${s.instanceId} (node ${s.node})`).join(', ')}. A pod reads the node role with a plain GET.`,
          { fix: { instances: ids(v1) }, details: base },
        ),
      );
    if (hops.length > 0)
      out.push(
        finding(
          'NODES-IMDS-HOP-LIMIT',
          `${hops.length} of ${described.length} instance(s) behind the nodes of ${who} have an IMDS hop limit above 1: ${hops.map((s) => `${s.instanceId} (node ${s.node}, hop limit ${s.metadata.httpPutResponseHopLimit})`).join(', ')}. A pod gets an IMDSv2 token and the node role.`,
          { fix: { instances: ids(hops) }, details: base },
        ),
      );
    if (out.length === 0)
      out.push(
        finding(
          'NODES-OK',
          `The ${described.length} instance(s) behind the nodes of ${who} require IMDSv2 with hop limit 1 (or have IMDS off): its pods cannot fall back to the node role.`,
          { details: base },
        ),
      );
    return out;
  },
};
