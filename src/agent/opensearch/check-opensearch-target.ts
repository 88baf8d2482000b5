// One --opensearch endpoint: reachability, one signed read, the FGAC account, and who OpenSearch saw.
import { fail, info, pass, warn } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { AgentContext } from '../context.js';
import {
  classifyOpenSearchError,
  looksLikeInstanceSession,
  type OpenSearchDenial,
} from './classify-opensearch-error.js';
import { denialFinding } from './denial-finding.js';
import { networkFinding } from './network-finding.js';
import { roleArnFromPrincipal } from './opensearch-remediation.js';
import { type OpenSearchTarget, parseOpenSearchTarget } from './parse-opensearch-target.js';
import { checkReachable } from './reachability.js';
import { type FgacAccount, readFgacAccount } from './read-fgac-account.js';
import { type SigningCredentials, signedClient } from './signed-request.js';

/** The part of chainCredentials()'s success this check uses (src/agent/facts/chain-credentials.ts). */
export interface ChainOk {
  ok: true;
  source: 'env' | 'shared-config' | 'process' | 'web-identity' | 'container' | 'imds' | 'unknown';
  credentials: SigningCredentials;
  callerArn?: string;
  isNodeRole: boolean;
}

/**
 * Serverless has no `GET /` (it answers 404 after authorising) and no security plugin; `GET _cat/indices` is a
 * documented Serverless read that any principal with data access may call, so a 200 proves IAM and the data
 * access policy both let the role in.
 */
export const AOSS_PROBE_PATH = '/_cat/indices?format=json';

const STEP_MS = 8_000;

/** A step's budget, leaving the run a moment to turn a timeout into a finding before its own deadline fires. */
export function stepBudget(ctx: AgentContext): number {
  return Math.max(1, Math.min(STEP_MS, ctx.deadline.remainingMs() - 750));
}

export function parseTarget(ctx: AgentContext, raw: string) {
  return parseOpenSearchTarget(raw, {
    serviceOverride: ctx.options.opensearchService,
    fallbackRegion: ctx.facts.region,
  });
}

/** Findings before any request: a bad URL, no region, a region the pod would sign wrong. */
export function targetFindings(
  ctx: AgentContext,
  raw: string,
): { target?: OpenSearchTarget; findings: Finding[] } {
  const parsed = parseTarget(ctx, raw);
  if (!parsed.ok)
    return {
      findings: [
        fail(
          'OS-TARGET-INVALID',
          `--opensearch "${raw}": ${parsed.reason}.`,
          'Pass the endpoint as https://HOST[:PORT], e.g. https://search-DOMAIN-ID.REGION.es.amazonaws.com.',
          {
            value: raw,
          },
        ),
      ],
    };
  const t = parsed.target;
  if (!t.region)
    return {
      findings: [
        fail(
          'OS-REGION-UNKNOWN',
          `No region to sign requests to ${t.url} for: the host name does not name one and neither --region nor AWS_REGION is set.`,
          "Pass --region with the domain's region, and set AWS_REGION in the application pods.",
          { url: t.url },
        ),
      ],
    };
  const findings: Finding[] = [];
  const podRegion = ctx.facts.region;
  if (t.hostRegion && podRegion && podRegion !== t.hostRegion)
    findings.push(
      warn(
        'OS-REGION-MISMATCH',
        `The pod's region is ${podRegion} but ${t.host} is in ${t.hostRegion}; the agent signs for ${t.hostRegion}, an application signing with AWS_REGION would not.`,
        `Set the application's OpenSearch region to ${t.hostRegion} (or AWS_REGION=${t.hostRegion} if it signs with the pod region).`,
        { url: t.url, podRegion, endpointRegion: t.hostRegion },
      ),
    );
  return { target: t, findings };
}

export async function checkOpenSearchTarget(
  ctx: AgentContext,
  t: OpenSearchTarget & { region: string },
  chain: ChainOk,
): Promise<Finding[]> {
  const signal = ctx.deadline.signal;
  const reach = await checkReachable(t, stepBudget(ctx), signal);
  if (reach.finding) return [reach.finding];
  const client = signedClient(chain.credentials, t.url, t.region, t.service);
  try {
    const path = t.service === 'aoss' ? AOSS_PROBE_PATH : '/';
    const main = await client.send({ method: 'GET', path, timeoutMs: stepBudget(ctx), signal });
    if (main.kind === 'network') return [networkFinding(main.message, main.timedOut, t)];
    const ok = main.status >= 200 && main.status < 300;
    const denial = ok ? undefined : classifyOpenSearchError(main.status, main.body);
    const account =
      t.service === 'es' && (ok || denial?.kind === 'fgac-unmapped')
        ? await readFgacAccount(client, stepBudget(ctx), signal)
        : undefined;
    const seen = observedPrincipal(denial, account);
    const nodeRole =
      chain.isNodeRole || chain.source === 'imds' || looksLikeInstanceSession(seen ?? chain.callerArn);
    const details: Record<string, unknown> = {
      url: t.url,
      service: t.service,
      region: t.region,
      credentialSource: chain.source,
      ...(chain.callerArn ? { callerArn: chain.callerArn } : {}),
      ...(seen ? { seenAs: seen } : {}),
      ...(reach.addresses.length ? { addresses: reach.addresses } : {}),
    };
    const findings: Finding[] = [];
    if (ok) findings.push(okFinding(t, main.body, account, details));
    else {
      const fix = { url: t.url, region: t.region, domainName: t.domainName, collectionId: t.collectionId };
      const roleArn = nodeRole ? ctx.facts.roleArn : fixRoleArn(ctx, denial!, chain, seen);
      findings.push(
        denialFinding(denial!, main.status, { target: t, fix: { ...fix, roleArn }, nodeRole, details }),
      );
    }
    if (account?.enabled)
      findings.push(
        info(
          'OS-FGAC-USER',
          `Fine-grained access control on ${t.url} sees user ${account.userName} with backend roles [${account.backendRoles.join(', ')}], mapped to OpenSearch roles [${account.roles.join(', ')}].`,
          {
            url: t.url,
            userName: account.userName,
            backendRoles: account.backendRoles,
            roles: account.roles,
          },
        ),
      );
    if (nodeRole) findings.push(nodeRoleFinding(ctx, t, chain, seen));
    return findings;
  } finally {
    await client.close();
  }
}

function observedPrincipal(
  d: OpenSearchDenial | undefined,
  account: FgacAccount | undefined,
): string | undefined {
  if (d && 'principal' in d && d.principal) return d.principal;
  if (d?.kind === 'fgac-unmapped' && d.user) return d.user;
  return account?.enabled ? account.userName : undefined;
}

/** The role the fix should name: what FGAC reports (exact, path included), else the pod's role ARN. */
function fixRoleArn(
  ctx: AgentContext,
  d: OpenSearchDenial,
  chain: ChainOk,
  seen: string | undefined,
): string | undefined {
  if (d.kind === 'fgac-unmapped') {
    const fromFgac = [d.user, ...d.backendRoles].find(
      (r) => r && /^arn:[a-z0-9-]+:iam::\d{12}:role\//.test(r),
    );
    if (fromFgac) return fromFgac;
  }
  const derived = roleArnFromPrincipal(seen ?? chain.callerArn);
  const podRole = ctx.facts.roleArn;
  // The pod's AWS_ROLE_ARN keeps the role path that a session ARN drops.
  if (podRole && derived && podRole.split('/').pop() === derived.split('/').pop()) return podRole;
  return derived ?? podRole;
}

function okFinding(
  t: OpenSearchTarget,
  body: unknown,
  account: FgacAccount | undefined,
  details: Record<string, unknown>,
): Finding {
  const fgac = account ? { fineGrainedAccessControl: account.enabled } : {};
  if (t.service === 'aoss') {
    const indices = Array.isArray(body) ? body.length : undefined;
    return pass(
      'OS-OK',
      `OpenSearch Serverless ${t.url} answered a signed GET ${AOSS_PROBE_PATH}${indices !== undefined ? ` (${indices} indices visible)` : ''}.`,
      {
        ...details,
        ...(indices !== undefined ? { indices } : {}),
      },
    );
  }
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const v = (b.version && typeof b.version === 'object' ? b.version : {}) as Record<string, unknown>;
  const distribution = typeof v.distribution === 'string' ? v.distribution : 'elasticsearch';
  const version = typeof v.number === 'string' ? v.number : undefined;
  const clusterName = typeof b.cluster_name === 'string' ? b.cluster_name : undefined;
  return pass(
    'OS-OK',
    `OpenSearch ${t.url} answered a signed GET /: ${distribution}${version ? ` ${version}` : ''}${clusterName ? `, cluster ${clusterName}` : ''}.`,
    {
      ...details,
      distribution,
      ...(version ? { version } : {}),
      ...(clusterName ? { clusterName } : {}),
      ...fgac,
    },
  );
}

function nodeRoleFinding(
  ctx: AgentContext,
  t: OpenSearchTarget,
  chain: ChainOk,
  seen: string | undefined,
): Finding {
  const principal = seen ?? chain.callerArn;
  const nodeRole = roleArnFromPrincipal(principal) ?? principal;
  const expected = ctx.facts.roleArn;
  return fail(
    'OS-NODE-ROLE',
    `OpenSearch ${t.url} was called as ${nodeRole ?? 'the node role'}, the EC2 node role the credential chain got from instance metadata (IMDS), not the pod's own role${expected ? ` ${expected}` : ''}.`,
    `Every pod on the node that falls back to IMDS gets this identity, so do not grant it OpenSearch access. Fix IRSA for the ServiceAccount (annotate it with eks.amazonaws.com/role-arn=${expected ?? 'arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME'} and restart the pod; the identity and CHAIN-* findings say what is missing), then block IMDS for pods: http_put_response_hop_limit = 1 (and http_tokens = required) in the node group's launch template metadata options.`,
    {
      url: t.url,
      nodeRole,
      seenAs: principal,
      credentialSource: chain.source,
      ...(expected ? { expectedRoleArn: expected } : {}),
    },
  );
}
