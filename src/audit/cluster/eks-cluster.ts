// Which EKS cluster the kubeconfig points at, and its OIDC issuer: --cluster, else the kubeconfig exec
// plugin's --cluster-name, else the cluster whose API endpoint is the kubeconfig server. Once per audit.
import type { Cluster } from '@aws-sdk/client-eks';
import { sweepFact } from '../audit-context.js';
import type { AwsFailure } from '../aws/aws-result.js';

export type EksClusterFact =
  | {
      state: 'found';
      name: string;
      arn?: string;
      version?: string;
      endpoint?: string;
      issuer?: string;
      source: string;
    }
  | { state: 'not-found'; tried: string[]; source: string }
  | { state: 'failed'; failure: AwsFailure };

export const eksCluster = sweepFact('eks-cluster', async (ctx): Promise<EksClusterFact> => {
  const { options, kubeconfigHints: hints, aws } = ctx.sweep;
  const named = options.cluster ?? hints.cluster;
  const describe = (name: string) =>
    aws.call('eks', 'eks:DescribeCluster', (eks, abortSignal, { DescribeClusterCommand }) =>
      eks.send(new DescribeClusterCommand({ name }), { abortSignal }),
    );
  if (named) {
    const source = options.cluster ? '--cluster' : 'the kubeconfig exec plugin arguments';
    const r = await describe(named);
    if (r.ok && r.value.cluster) return found(r.value.cluster, source);
    if (!r.ok && r.kind !== 'not-found') return { state: 'failed', failure: r };
    return { state: 'not-found', tried: [named], source };
  }
  // No name anywhere: the cluster whose endpoint is the server the kubeconfig talks to.
  const names: string[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < 20; page++) {
    const r = await aws.call('eks', 'eks:ListClusters', (eks, abortSignal, { ListClustersCommand }) =>
      eks.send(new ListClustersCommand({ nextToken }), { abortSignal }),
    );
    if (!r.ok) return { state: 'failed', failure: r };
    names.push(...(r.value.clusters ?? []));
    nextToken = r.value.nextToken;
    if (!nextToken) break;
  }
  const server = normalise(hints.server);
  for (const name of names) {
    const r = await describe(name);
    if (!r.ok) return { state: 'failed', failure: r };
    if (r.value.cluster && normalise(r.value.cluster.endpoint ?? '') === server)
      return found(r.value.cluster, `the cluster whose endpoint is ${hints.server}`);
  }
  return { state: 'not-found', tried: names, source: `the cluster whose endpoint is ${hints.server}` };
});

function found(c: Cluster, source: string): EksClusterFact {
  return {
    state: 'found',
    name: c.name ?? '',
    source,
    ...(c.arn ? { arn: c.arn } : {}),
    ...(c.version ? { version: c.version } : {}),
    ...(c.endpoint ? { endpoint: c.endpoint } : {}),
    ...(c.identity?.oidc?.issuer ? { issuer: c.identity.oidc.issuer } : {}),
  };
}

function normalise(url: string): string {
  return url.trim().replace(/\/+$/, '').toLowerCase();
}
