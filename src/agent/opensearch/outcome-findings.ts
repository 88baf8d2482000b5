// The findings for a request OpenSearch accepted, and for a request made as the EC2 node role.
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { ChainIdentity } from '../chain/chain-credentials.js';
import type { AgentContext } from '../context.js';
import { roleArnFromPrincipal } from './opensearch-remediation.js';
import type { OpenSearchTarget } from './parse-opensearch-target.js';
import type { FgacAccount } from './read-fgac-account.js';

/**
 * Serverless has no `GET /` (it answers 404 after authorising) and no security plugin; `GET _cat/indices` is a
 * documented Serverless read that any principal with data access may call, so a 200 proves IAM and the data
 * access policy both let the role in.
 */
export const AOSS_PROBE_PATH = '/_cat/indices?format=json';

export function okFinding(
  t: OpenSearchTarget,
  body: unknown,
  account: FgacAccount | undefined,
  details: Record<string, unknown>,
  /** Which way the request went, when a proxy is in play (path-findings.ts pathNote). */
  note = '',
): Finding {
  const fgac = account ? { fineGrainedAccessControl: account.enabled } : {};
  if (t.service === 'aoss') {
    const indices = Array.isArray(body) ? body.length : undefined;
    return finding(
      'OS-OK',
      `OpenSearch Serverless ${t.url} answered a signed GET ${AOSS_PROBE_PATH}${note}${indices !== undefined ? ` (${indices} indices visible)` : ''}.`,
      { details: { ...details, ...(indices !== undefined ? { indices } : {}) } },
    );
  }
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const hasVersion = Boolean(b.version && typeof b.version === 'object');
  const v = (hasVersion ? b.version : {}) as Record<string, unknown>;
  // OpenSearch names its distribution; Elasticsearch (and OpenSearch in ES-compatibility mode) sends a version
  // without one. Anything else (text, no version) says nothing about what answered.
  const distribution =
    typeof v.distribution === 'string' ? v.distribution : hasVersion ? 'elasticsearch' : 'unknown';
  const version = typeof v.number === 'string' ? v.number : undefined;
  const clusterName = typeof b.cluster_name === 'string' ? b.cluster_name : undefined;
  return finding(
    'OS-OK',
    `OpenSearch ${t.url} answered a signed GET /${note}: ${distribution}${version ? ` ${version}` : ''}${clusterName ? `, cluster ${clusterName}` : ''}.`,
    {
      details: {
        ...details,
        distribution,
        ...(version ? { version } : {}),
        ...(clusterName ? { clusterName } : {}),
        ...fgac,
      },
    },
  );
}

export function nodeRoleFinding(
  ctx: AgentContext,
  t: OpenSearchTarget,
  chain: ChainIdentity,
  seen: string | undefined,
): Finding {
  const principal = seen ?? chain.callerArn;
  const nodeRole = roleArnFromPrincipal(principal) ?? principal;
  const expected = ctx.env.AWS_ROLE_ARN?.trim() || undefined;
  return finding(
    'OS-NODE-ROLE',
    `OpenSearch ${t.url} was called as ${nodeRole ?? 'the node role'}, the EC2 node role the credential chain got from instance metadata (IMDS), not the pod's own role${expected ? ` ${expected}` : ''}; see CHAIN-IMDS-FALLBACK.`,
    {
      fix: { roleArn: expected },
      details: {
        url: t.url,
        nodeRole,
        seenAs: principal,
        credentialSource: chain.source,
        ...(expected ? { expectedRoleArn: expected } : {}),
        see: 'CHAIN-IMDS-FALLBACK',
      },
    },
  );
}
