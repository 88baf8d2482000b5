import { type MetadataResponse, metadataRequest } from '../../lib/metadata-request.js';
import { directRoute } from '../../lib/proxy/proxy-route.js';
import { registerSecret } from '../../lib/redact.js';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import { endpointUrlProblem } from '../aws/endpoint-url-problem.js';
import { SDK_METADATA_TIMEOUT_MS, stepBudget } from '../aws/sdk-options.js';
import type { Check } from '../check.js';
import type { AgentContext } from '../context.js';
import { withPath } from '../net/path-findings.js';
import { type ImdsProbe, type ImdsVerdict, judgeImds, tokenOf } from './judge-imds.js';

const CREDENTIALS_PATH = '/latest/meta-data/iam/security-credentials/';

/**
 * Can this pod reach the node's instance metadata service, and with which protocol? Probed directly
 * (not through the SDK) so both IMDSv2 and IMDSv1 are judged even when one of them would mask the
 * other. Lists only the role NAME; the credentials document is never requested.
 */
export const imdsCheck: Check = {
  id: 'imds',
  title: 'Instance metadata (IMDS) reachable from the pod',
  sdkFree: true,
  async run(ctx) {
    // Asked directly, never through a proxy: a proxy would reach its own node's metadata (proxy-route.ts).
    const target = imdsEndpoint(ctx.env).replace(/^[a-z]+:\/\//i, '');
    return withPath(await judgeImdsCheck(ctx), directRoute(ctx.env, 'metadata', target));
  },
};

async function judgeImdsCheck(ctx: AgentContext): Promise<Finding[]> {
  const endpoint = imdsEndpoint(ctx.env);
  const out: Finding[] = [];
  const disabled = ctx.env.AWS_EC2_METADATA_DISABLED;
  if (disabled && disabled.toLowerCase() !== 'false')
    out.push(
      finding(
        'IMDS-SDK-DISABLED',
        `AWS_EC2_METADATA_DISABLED=${disabled}: AWS SDKs in this container will not use IMDS (other processes still can if the network allows it).`,
      ),
    );
  const problem = endpointUrlProblem(endpoint);
  if (problem) {
    out.push(
      finding(
        'IMDS-UNDETERMINED',
        `AWS_EC2_METADATA_SERVICE_ENDPOINT ${problem}, so the SDK cannot reach IMDS with it, and whether pods reach the node's instance metadata is not determined.`,
        { variant: 'endpointInvalid', details: { problem } },
      ),
    );
    return out;
  }
  let probe = await probeImds(ctx, endpoint);
  let verdict = judgeImds(probe, SDK_METADATA_TIMEOUT_MS);
  let retried = false;
  // A stall is the process's trouble, not IMDS's: ask once more while the run has time for a full probe.
  if (
    verdict.kind === 'undetermined' &&
    verdict.why === 'starved' &&
    ctx.deadline.remainingMs() > 2 * SDK_METADATA_TIMEOUT_MS + RETRY_MARGIN_MS
  ) {
    retried = true;
    probe = await probeImds(ctx, endpoint);
    verdict = judgeImds(probe, SDK_METADATA_TIMEOUT_MS);
  }
  const details = {
    endpoint,
    v2TokenPut: describe(probe.put),
    v1Get: describe(probe.v1),
    ...(probe.v2List ? { v2Get: describe(probe.v2List) } : {}),
    ...(verdict.kind === 'reachable' && verdict.roleName ? { nodeRoleName: verdict.roleName } : {}),
    probeBudgetMs: probe.budgetMs,
    ...(retried ? { retried } : {}),
    ...(ctx.env.AWS_EC2_METADATA_V1_DISABLED
      ? { AWS_EC2_METADATA_V1_DISABLED: ctx.env.AWS_EC2_METADATA_V1_DISABLED }
      : {}),
  };
  if (verdict.kind === 'undetermined') {
    out.push(undetermined(verdict, endpoint, probe.budgetMs, details));
    return out;
  }
  if (verdict.kind === 'blocked') {
    out.push(
      finding(
        'IMDS-BLOCKED',
        `Neither IMDSv2 nor IMDSv1 hands this pod credentials at ${endpoint}${verdict.hopLimitSignature ? ` (the IMDSv2 token PUT connected but got no answer within ${probe.budgetMs} ms: the hop-limit signature)` : ''}.`,
        { details },
      ),
    );
    return out;
  }
  const role = verdict.roleName ? `node role ${verdict.roleName}` : 'the node role';
  // Any answer means the node role is one request away; IMDSv1 is worse (no token, no hop limit) and
  // gets its own finding. Both warn: IRSA itself may work, and CHAIN-IMDS-FALLBACK fails the run when
  // the application would really run as the node role.
  out.push(
    finding(
      'IMDS-REACHABLE',
      verdict.token
        ? `IMDSv2 answers this pod at ${endpoint}: any process here can get a token and the credentials of ${role}.`
        : `IMDS answers this pod at ${endpoint} over IMDSv1 (the IMDSv2 token PUT did not): any process here can read the credentials of ${role}.`,
      { details },
    ),
  );
  if (verdict.v1)
    out.push(
      finding(
        'IMDS-V1-REACHABLE',
        `Worse: IMDSv1 answers this pod at ${endpoint} without a session token: a plain GET from any process, or an SSRF in the application, reads the credentials of ${role}, and the SDK falls back to it silently when IRSA is missing. The hop limit does not protect v1.`,
        { details },
      ),
    );
  return out;
}

/** Time kept free after a retried probe, so the check still reports before the run's deadline. */
const RETRY_MARGIN_MS = 500;

/**
 * The SDK's own sequence: PUT a token (v2) and, as it does when that times out or is refused, GET
 * without one (v1); both at once, then the role list with the token when there is one.
 */
async function probeImds(ctx: AgentContext, endpoint: string): Promise<ImdsProbe> {
  const budgetMs = stepBudget(ctx, SDK_METADATA_TIMEOUT_MS);
  const [put, v1] = await Promise.all([
    metadataRequest(`${endpoint}/latest/api/token`, {
      method: 'PUT',
      headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '60' },
      timeoutMs: budgetMs,
    }),
    metadataRequest(`${endpoint}${CREDENTIALS_PATH}`, { timeoutMs: budgetMs }),
  ]);
  const token = tokenOf(put);
  registerSecret(token);
  const v2List = token
    ? await metadataRequest(`${endpoint}${CREDENTIALS_PATH}`, {
        headers: { 'X-aws-ec2-metadata-token': token },
        timeoutMs: stepBudget(ctx, SDK_METADATA_TIMEOUT_MS),
      })
    : undefined;
  return { put, v1, ...(v2List ? { v2List } : {}), budgetMs };
}

function undetermined(
  v: Extract<ImdsVerdict, { kind: 'undetermined' }>,
  endpoint: string,
  budgetMs: number,
  details: Record<string, unknown>,
): Finding {
  const message =
    v.why === 'not-imds'
      ? `Something answers at ${endpoint}, but not like IMDS (${v.what}), so whether pods reach the node's instance metadata is not determined.`
      : v.why === 'starved'
        ? `Not determined whether IMDS answers this pod at ${endpoint}: the probe timed out while this process was starved (${v.stalledMs} ms of its ${budgetMs} ms wait, the timeout fired ${v.lateMs} ms late), so the timeout says nothing about IMDS.`
        : `Not determined whether IMDS answers this pod at ${endpoint}: the run's deadline left only ${budgetMs} ms for the probe, less than the SDK's own ${SDK_METADATA_TIMEOUT_MS} ms.`;
  return finding('IMDS-UNDETERMINED', message, {
    variant: v.why === 'not-imds' ? 'notImds' : v.why === 'starved' ? 'starved' : 'shortBudget',
    fix: { endpoint, sdkTimeoutMs: SDK_METADATA_TIMEOUT_MS },
    details: {
      ...details,
      why: v.why,
      stalledMs: v.stalledMs,
      lateMs: v.lateMs,
      ...(v.what ? { answer: v.what } : {}),
    },
  });
}

/** The SDK's IMDS endpoint: AWS_EC2_METADATA_SERVICE_ENDPOINT, else by endpoint mode. */
export function imdsEndpoint(env: Readonly<Record<string, string | undefined>>): string {
  const explicit = env.AWS_EC2_METADATA_SERVICE_ENDPOINT?.trim();
  if (explicit) return explicit.replace(/\/+$/, '');
  return env.AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE?.toLowerCase() === 'ipv6'
    ? 'http://[fd00:ec2::254]'
    : 'http://169.254.169.254';
}

function describe(r: MetadataResponse): string {
  if (r.kind === 'response') return `HTTP ${r.status}${r.truncated ? ' (body cut off at the cap)' : ''}`;
  if (r.kind === 'timeout')
    return r.phase === 'connect'
      ? `no connection within ${r.ms} ms`
      : `connected, no answer within ${r.ms} ms`;
  return r.errno;
}
