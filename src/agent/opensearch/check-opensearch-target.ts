// One --opensearch endpoint: reachability, one signed read, the FGAC account, and who OpenSearch saw.

import type { ProxyRouter } from '../../lib/proxy/proxy-router.js';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import { stepBudget } from '../aws/sdk-options.js';
import type { ChainIdentity } from '../chain/chain-credentials.js';
import type { AgentContext } from '../context.js';
import { openNetworkPath } from '../net/network-path.js';
import { pathNote, proxyFindings, proxyInvalidFinding, withPath } from '../net/path-findings.js';
import {
  classifyOpenSearchError,
  looksLikeInstanceSession,
  type OpenSearchDenial,
} from './classify-opensearch-error.js';
import { denialFinding } from './denial-finding.js';
import { networkFinding } from './network-finding.js';
import { notOpenSearchFinding, notOpenSearchReason } from './not-opensearch.js';
import { roleArnFromPrincipal } from './opensearch-remediation.js';
import { AOSS_PROBE_PATH, nodeRoleFinding, okFinding } from './outcome-findings.js';
import type { OpenSearchTarget } from './parse-opensearch-target.js';
import { checkReachable } from './reachability.js';
import { type FgacAccount, readFgacAccount } from './read-fgac-account.js';
import { signedClient } from './signed-request.js';

const STEP_MS = 8_000;
/** Kept back from each step so the run still has a moment to turn a timeout into a finding. */
const REPORT_MARGIN_MS = 750;

export function openSearchStepBudget(ctx: AgentContext): number {
  return stepBudget(ctx, STEP_MS, REPORT_MARGIN_MS);
}

export async function checkOpenSearchTarget(
  ctx: AgentContext,
  t: OpenSearchTarget & { region: string },
  chain: ChainIdentity,
): Promise<Finding[]> {
  const path = openNetworkPath(ctx, t.url, openSearchStepBudget(ctx));
  const route = path.route;
  const label = `OpenSearch ${t.url}`;
  if (route.via === 'invalid') {
    await path.settle();
    return [proxyInvalidFinding(route, label, 'fail')];
  }
  let addresses: string[] = [];
  if (route.via === 'direct') {
    // DNS, TCP and TLS first, to name the failing step; through a proxy the pod's own view of them is only
    // the direct probe beside the request (network-path.ts), which does not gate it.
    const reach = await checkReachable(t, openSearchStepBudget(ctx), ctx.deadline.signal);
    if (reach.finding) {
      await path.settle();
      return withPath([reach.finding], route);
    }
    addresses = reach.addresses;
  }
  let signed: { findings: Finding[]; reached: boolean };
  try {
    signed = await signedFindings(ctx, t, chain, path.router, addresses);
  } finally {
    path.router.destroy();
  }
  const outcome = await path.settle();
  const p = proxyFindings(outcome, { label, reached: signed.reached, severity: 'fail' });
  return withPath([...(p.replace ? [p.replace] : signed.findings), ...p.extra], route);
}

/** One signed read and what it says; `reached` is false when no OpenSearch answered. */
async function signedFindings(
  ctx: AgentContext,
  t: OpenSearchTarget & { region: string },
  chain: ChainIdentity,
  router: ProxyRouter,
  addresses: string[],
): Promise<{ findings: Finding[]; reached: boolean }> {
  const signal = ctx.deadline.signal;
  const note = pathNote(router.routeOf(t.url));
  const client = await signedClient(chain.credentials, t.url, t.region, t.service, router);
  try {
    const path = t.service === 'aoss' ? AOSS_PROBE_PATH : '/';
    const main = await client.send({ method: 'GET', path, timeoutMs: openSearchStepBudget(ctx), signal });
    if (main.kind === 'network')
      return { findings: [networkFinding(main.message, main.timedOut, t, note)], reached: false };
    const base = { url: t.url, service: t.service, region: t.region, credentialSource: chain.source };
    if (main.kind === 'too-large')
      return {
        findings: [notOpenSearchFinding(t, { status: main.status, tooLarge: main.limit }, base)],
        reached: false,
      };
    const ok = main.status >= 200 && main.status < 300;
    const notOpenSearch = ok ? notOpenSearchReason(t, main.body) : undefined;
    if (notOpenSearch)
      return {
        findings: [notOpenSearchFinding(t, { status: main.status, reason: notOpenSearch }, base)],
        reached: false,
      };
    const denial = ok ? undefined : classifyOpenSearchError(main.status, main.body);
    const account =
      t.service === 'es' && (ok || denial?.kind === 'fgac-unmapped')
        ? await readFgacAccount(client, openSearchStepBudget(ctx), signal)
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
      ...(addresses.length ? { addresses } : {}),
    };
    const findings: Finding[] = [];
    if (ok) findings.push(okFinding(t, main.body, account, details, note));
    else {
      const fix = { url: t.url, region: t.region, domainName: t.domainName, collectionId: t.collectionId };
      const roleArn = nodeRole ? podRoleArn(ctx) : fixRoleArn(ctx, denial!, chain, seen);
      const fgacRoles = account?.enabled ? account.roles : undefined;
      findings.push(
        denialFinding(denial!, main.status, {
          target: t,
          fix: { ...fix, roleArn },
          nodeRole,
          fgacRoles,
          details,
        }),
      );
    }
    if (account?.enabled)
      findings.push(
        finding(
          'OS-FGAC-USER',
          `Fine-grained access control on ${t.url} sees user ${account.userName} with backend roles [${account.backendRoles.join(', ')}], mapped to OpenSearch roles [${account.roles.join(', ')}].`,
          {
            details: {
              url: t.url,
              userName: account.userName,
              backendRoles: account.backendRoles,
              roles: account.roles,
            },
          },
        ),
      );
    if (nodeRole) findings.push(nodeRoleFinding(ctx, t, chain, seen));
    return { findings, reached: true };
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
  chain: ChainIdentity,
  seen: string | undefined,
): string | undefined {
  if (d.kind === 'fgac-unmapped') {
    const fromFgac = [d.user, ...d.backendRoles].find(
      (r) => r && /^arn:[a-z0-9-]+:iam::\d{12}:role\//.test(r),
    );
    if (fromFgac) return fromFgac;
  }
  const derived = roleArnFromPrincipal(seen ?? chain.callerArn);
  const podRole = podRoleArn(ctx);
  // The pod's AWS_ROLE_ARN keeps the role path that a session ARN drops.
  if (podRole && derived && podRole.split('/').pop() === derived.split('/').pop()) return podRole;
  return derived ?? podRole;
}

/** The pod's own role (AWS_ROLE_ARN keeps the path a session ARN drops). */
function podRoleArn(ctx: AgentContext): string | undefined {
  return ctx.env.AWS_ROLE_ARN?.trim() || undefined;
}
