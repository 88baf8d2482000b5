import { issuerHostOf } from '../../aws/trust-policy.js';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { AuditCheck } from '../audit-check.js';
import { awsFailureFinding } from '../failure-findings.js';
import { workloadIdentity } from '../serviceaccount/workload-identity.js';
import { eksCluster } from './eks-cluster.js';
import { issuerThumbprints } from './issuer-certificates.js';
import { oidcProvider } from './oidc-provider.js';

/** The cluster the kubeconfig points at, and the IAM OIDC provider STS needs for its issuer. */
export const clusterCheck: AuditCheck = {
  id: 'audit-cluster',
  title: 'EKS cluster and its IAM OIDC provider',
  async run(ctx) {
    const { aws } = ctx.sweep;
    const cluster = await eksCluster(ctx);
    if (cluster.state === 'failed')
      return [awsFailureFinding(cluster.failure, 'which EKS cluster the kubeconfig points at')];
    if (cluster.state === 'not-found')
      return [
        finding(
          'EKS-CLUSTER-NOT-FOUND',
          cluster.tried.length
            ? `No EKS cluster ${cluster.tried.length === 1 ? `named ${cluster.tried[0]}` : `among ${cluster.tried.join(', ')}`} in ${aws.region} matches ${cluster.source}.`
            : `No EKS cluster in ${aws.region} (looked for ${cluster.source}).`,
          { details: { tried: cluster.tried, source: cluster.source, region: aws.region } },
        ),
      ];
    const out: Finding[] = [
      finding(
        'EKS-CLUSTER',
        `EKS cluster ${cluster.name}${cluster.version ? ` (Kubernetes ${cluster.version})` : ''} in ${aws.region}, OIDC issuer ${cluster.issuer ?? 'none'} (found by ${cluster.source}).`,
        {
          details: {
            cluster: cluster.name,
            arn: cluster.arn,
            version: cluster.version,
            issuer: cluster.issuer,
            region: aws.region,
          },
        },
      ),
    ];
    const id = await workloadIdentity(ctx);
    if (id.annotation.state !== 'valid' || !cluster.issuer) return out;
    const role = id.annotation.arn;
    const provider = await oidcProvider(ctx, {
      partition: role.partition,
      account: role.account,
      issuer: cluster.issuer,
    });
    const fix = {
      cluster: cluster.name,
      region: aws.region,
      issuer: cluster.issuer,
      issuerId: issuerHostOf(cluster.issuer).split('/').pop(),
      account: role.account,
      audience: id.audience,
      providerArn: provider.arn,
    };
    if (provider.state === 'failed') {
      out.push(awsFailureFinding(provider.failure, `the IAM OIDC provider in account ${role.account}`));
      return out;
    }
    if (provider.state === 'missing') {
      out.push(
        finding(
          'IAM-OIDC-PROVIDER-MISSING',
          `Account ${role.account} of role ${role.name} has no IAM OIDC provider for ${cluster.issuer} (${provider.arn}).`,
          {
            fix,
            details: { providerArn: provider.arn, issuer: cluster.issuer },
          },
        ),
      );
      return out;
    }
    if (!provider.clientIds.includes(id.audience))
      out.push(
        finding(
          'IAM-OIDC-PROVIDER-AUDIENCE',
          `The IAM OIDC provider ${provider.arn} lists client IDs [${provider.clientIds.join(', ')}], not ${id.audience}, the audience of ${ctx.namespace}/${ctx.serviceAccount}'s tokens.`,
          {
            fix,
            details: { providerArn: provider.arn, clientIds: provider.clientIds, audience: id.audience },
          },
        ),
      );
    else
      out.push(
        finding(
          'IAM-OIDC-PROVIDER-OK',
          `The IAM OIDC provider ${provider.arn} exists and lists the audience ${id.audience}.`,
          {
            details: { providerArn: provider.arn, clientIds: provider.clientIds },
          },
        ),
      );
    if (provider.thumbprints.length > 0) {
      const chain = await issuerThumbprints(cluster.issuer, Math.min(3000, ctx.deadline.remainingMs()));
      if (chain.length > 0 && !provider.thumbprints.some((t) => chain.includes(t.toLowerCase())))
        out.push(
          finding(
            'IAM-OIDC-THUMBPRINT',
            `None of the provider's thumbprints (${provider.thumbprints.join(', ')}) matches a certificate ${cluster.issuer} presents; for EKS issuers IAM trusts its own CA store, so this is not what breaks IRSA.`,
            { details: { providerThumbprints: provider.thumbprints, issuerChain: chain } },
          ),
        );
    }
    return out;
  },
};
