import { type MetadataResponse, metadataRequest } from '../../lib/metadata-request.js';
import { registerSecret } from '../../lib/redact.js';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import { SDK_METADATA_TIMEOUT_MS, stepBudget } from '../aws/sdk-options.js';
import type { Check } from '../check.js';

const CREDENTIALS_PATH = '/latest/meta-data/iam/security-credentials/';
const ROLE_NAME_RE = /^[\w+=,.@-]{1,64}$/;

/**
 * Can this pod reach the node's instance metadata service, and with which protocol? Probed directly
 * (not through the SDK) so both IMDSv2 and IMDSv1 are judged even when one of them would mask the
 * other. Lists only the role NAME; the credentials document is never requested.
 */
export const imdsCheck: Check = {
  id: 'imds',
  title: 'Instance metadata (IMDS) reachable from the pod',
  async run(ctx) {
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
    const ms = stepBudget(ctx, SDK_METADATA_TIMEOUT_MS);
    // The SDK's own sequence: PUT a token (v2); when that times out or is refused it GETs without one (v1).
    const [put, v1] = await Promise.all([
      metadataRequest(`${endpoint}/latest/api/token`, {
        method: 'PUT',
        headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '60' },
        timeoutMs: ms,
      }),
      metadataRequest(`${endpoint}${CREDENTIALS_PATH}`, { timeoutMs: ms }),
    ]);
    const token = put.kind === 'response' && put.status === 200 ? put.body.trim() : '';
    registerSecret(token);
    let v2List: MetadataResponse | undefined;
    if (token)
      v2List = await metadataRequest(`${endpoint}${CREDENTIALS_PATH}`, {
        headers: { 'X-aws-ec2-metadata-token': token },
        timeoutMs: stepBudget(ctx, SDK_METADATA_TIMEOUT_MS),
      });
    const v1Answers = v1.kind === 'response' && v1.status === 200;
    const roleName = roleNameOf(v2List) ?? roleNameOf(v1);
    const details = {
      endpoint,
      v2TokenPut: describe(put),
      v1Get: describe(v1),
      ...(v2List ? { v2Get: describe(v2List) } : {}),
      ...(roleName ? { nodeRoleName: roleName } : {}),
      ...(ctx.env.AWS_EC2_METADATA_V1_DISABLED
        ? { AWS_EC2_METADATA_V1_DISABLED: ctx.env.AWS_EC2_METADATA_V1_DISABLED }
        : {}),
    };
    const role = roleName ? `node role ${roleName}` : 'the node role';
    // Any answer means the node role is one request away; IMDSv1 is worse (no token, no hop limit) and
    // gets its own finding. Both warn: IRSA itself may work, and CHAIN-IMDS-FALLBACK fails the run when
    // the application would really run as the node role.
    if (token || v1Answers)
      out.push(
        finding(
          'IMDS-REACHABLE',
          token
            ? `IMDSv2 answers this pod at ${endpoint}: any process here can get a token and the credentials of ${role}.`
            : `IMDS answers this pod at ${endpoint} over IMDSv1 (the IMDSv2 token PUT did not): any process here can read the credentials of ${role}.`,
          { details },
        ),
      );
    if (v1Answers)
      out.push(
        finding(
          'IMDS-V1-REACHABLE',
          `Worse: IMDSv1 answers this pod at ${endpoint} without a session token: a plain GET from any process, or an SSRF in the application, reads the credentials of ${role}, and the SDK falls back to it silently when IRSA is missing. The hop limit does not protect v1.`,
          { details },
        ),
      );
    if (!token && !v1Answers)
      out.push(
        finding('IMDS-BLOCKED', `Neither IMDSv2 nor IMDSv1 hands this pod credentials at ${endpoint}.`, {
          details,
        }),
      );
    return out;
  },
};

/** The SDK's IMDS endpoint: AWS_EC2_METADATA_SERVICE_ENDPOINT, else by endpoint mode. */
export function imdsEndpoint(env: Readonly<Record<string, string | undefined>>): string {
  const explicit = env.AWS_EC2_METADATA_SERVICE_ENDPOINT?.trim();
  if (explicit) return explicit.replace(/\/+$/, '');
  return env.AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE?.toLowerCase() === 'ipv6'
    ? 'http://[fd00:ec2::254]'
    : 'http://169.254.169.254';
}

function roleNameOf(r: MetadataResponse | undefined): string | undefined {
  if (r?.kind !== 'response' || r.status !== 200) return undefined;
  const first = r.body.split('\n')[0]?.trim() ?? '';
  return ROLE_NAME_RE.test(first) ? first : undefined;
}

function describe(r: MetadataResponse): string {
  if (r.kind === 'response') return `HTTP ${r.status}`;
  if (r.kind === 'timeout')
    return r.phase === 'connect'
      ? `no connection within ${r.ms} ms`
      : `connected, no answer within ${r.ms} ms`;
  return r.errno;
}
