// The IMDS settings of the instances behind the cluster's nodes: one DescribeInstances for every node of
// the audit (the ServiceAccounts of a sweep share it), by instance-id filter so a node whose instance
// is gone leaves a gap instead of failing the whole call (instance ids answer InvalidInstanceID.NotFound).
import { sweepFact } from '../audit-context.js';
import type { AwsResult } from '../aws/aws-result.js';
import type { KubeRead } from '../kube-read.js';
import { clusterNodes, instanceOfProviderId } from './cluster-nodes.js';

export interface InstanceMetadata {
  instanceId: string;
  /** 'required' (IMDSv2 only) or 'optional' (IMDSv1 answers too) */
  httpTokens?: string;
  httpPutResponseHopLimit?: number;
  /** 'disabled': IMDS is off, nothing to fall back to */
  httpEndpoint?: string;
}

/** Filter values per request: well below what EC2 accepts, so a large cluster costs a few calls. */
const IDS_PER_CALL = 100;
const MAX_PAGES = 20;

export type NodeInstances =
  | { state: 'nodes-unreadable'; read: Extract<KubeRead<unknown>, { ok: false }> }
  | { state: 'read'; byInstance: AwsResult<Map<string, InstanceMetadata>> };

export const nodeInstances = sweepFact('node-instances', async (ctx): Promise<NodeInstances> => {
  const nodes = await clusterNodes(ctx);
  if (!nodes.ok) return { state: 'nodes-unreadable', read: nodes };
  const ids = [
    ...new Set(
      nodes.value.flatMap((n) => {
        const i = instanceOfProviderId(n.spec?.providerID);
        return i ? [i.instanceId] : [];
      }),
    ),
  ];
  const byInstance = new Map<string, InstanceMetadata>();
  for (let start = 0; start < ids.length; start += IDS_PER_CALL) {
    const chunk = ids.slice(start, start + IDS_PER_CALL);
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const r = await ctx.sweep.aws.call(
        'ec2',
        'ec2:DescribeInstances',
        (ec2, abortSignal, { DescribeInstancesCommand }) =>
          ec2.send(
            new DescribeInstancesCommand({
              Filters: [{ Name: 'instance-id', Values: chunk }],
              MaxResults: 1000,
              NextToken: nextToken,
            }),
            { abortSignal },
          ),
      );
      if (!r.ok) return { state: 'read', byInstance: r };
      for (const reservation of r.value.Reservations ?? [])
        for (const i of reservation.Instances ?? []) {
          if (!i.InstanceId) continue;
          const m = i.MetadataOptions;
          byInstance.set(i.InstanceId, {
            instanceId: i.InstanceId,
            ...(m?.HttpTokens ? { httpTokens: m.HttpTokens } : {}),
            ...(m?.HttpPutResponseHopLimit !== undefined
              ? { httpPutResponseHopLimit: m.HttpPutResponseHopLimit }
              : {}),
            ...(m?.HttpEndpoint ? { httpEndpoint: m.HttpEndpoint } : {}),
          });
        }
      nextToken = r.value.NextToken;
      if (!nextToken) break;
    }
  }
  return { state: 'read', byInstance: { ok: true, value: byInstance } };
});
