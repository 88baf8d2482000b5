import type { StsEndpointSource } from '../../agent/aws/sdk-options.js';
import { explainStsFailure } from '../../agent/sts/explain-sts-failure.js';
import type { StsCall } from '../../agent/sts/web-identity.js';
import { parseRoleArn } from '../../lib/arn.js';
import { parseAssumedRoleArn, roleNameMatches } from '../../lib/assumed-role-arn.js';
import { decodeToken } from '../../lib/jwt.js';
import { redact, registerSecret } from '../../lib/redact.js';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { AuditCheck } from '../audit-check.js';
import type { AuditContext } from '../audit-context.js';
import { kubeFailureFinding } from '../failure-findings.js';
import { kubeRead } from '../kube-read.js';
import { workloadIdentity } from '../serviceaccount/workload-identity.js';
import { type CallerIdentityAnswer, exchangeWebIdentity } from './web-identity-exchange.js';

/** TokenRequest's minimum lifetime: the token is used at once and expires on its own. */
const TOKEN_SECONDS = 600;

/**
 * --assume: the whole IRSA chain proven for real, without a pod. A fresh token for the ServiceAccount
 * with the audience its pods get, exchanged at STS for the annotated role; the answer is judged by the
 * agent's own classifier, so a refusal carries the same STS-* code and fix as inside the pod.
 */
export const assumeCheck: AuditCheck = {
  id: 'audit-assume',
  title: 'Proof with a real token: TokenRequest, then AssumeRoleWithWebIdentity (--assume)',
  async run(ctx) {
    const id = await workloadIdentity(ctx);
    const who = `${ctx.namespace}/${ctx.serviceAccount}`;
    if (!id.known)
      return [
        finding(
          'ASSUME-SKIPPED',
          `Not tried: ServiceAccount ${who} could not be read (see audit-serviceaccount).`,
        ),
      ];
    if (id.annotation.state !== 'valid')
      return [
        finding(
          'ASSUME-SKIPPED',
          `Not tried: ${who} names no valid IRSA role${id.mechanism === 'pod-identity' ? '; it uses EKS Pod Identity, whose role audit-pod-identity checks from its trust policy' : ''}.`,
        ),
      ];
    const roleArn = id.annotation.arn.arn;
    const requested = await kubeRead('create', 'serviceaccounts/token', () =>
      ctx.sweep.kube.createServiceAccountToken(
        ctx.namespace,
        ctx.serviceAccount,
        [id.audience],
        TOKEN_SECONDS,
      ),
    );
    // Registered before anything else can print it.
    if (requested.ok) registerSecret(requested.value);
    if (!requested.ok)
      return [
        requested.kind === 'not-found'
          ? finding('ASSUME-SKIPPED', `Not tried: ServiceAccount ${who} does not exist.`)
          : kubeFailureFinding(requested, `a token for ${who} (--assume)`),
      ];
    if (!requested.value)
      return [
        kubeFailureFinding(
          {
            ok: false,
            kind: 'error',
            verb: 'create',
            resource: 'serviceaccounts/token',
            message: 'the API server answered the TokenRequest without a token',
          },
          `a token for ${who} (--assume)`,
        ),
      ];
    const decoded = decodeToken(requested.value.trim());
    const claims = decoded.ok ? decoded.claims : {};
    const region = ctx.sweep.aws.region;
    const endpoint = stsEndpointOf(process.env, region);
    const call: StsCall = {
      region,
      // The audit calls STS in the cluster's region, the one the webhook gives the pods.
      regionSource: 'pod',
      endpoint: endpoint.url,
      endpointSource: endpoint.source,
      roleArn,
      sessionName: `irsa-doctor-audit-${Date.now()}`,
    };
    const where = {
      roleArn,
      audience: id.audience,
      region,
      endpoint: call.endpoint,
      endpointSource: call.endpointSource,
      sessionName: call.sessionName,
      tokenIssuer: claims.iss,
      tokenSubject: claims.sub,
    };
    const r = await exchangeWebIdentity(ctx, roleArn, requested.value.trim(), call.sessionName);
    if (!r.ok)
      return [
        explainStsFailure(
          {
            env: {},
            call,
            tokenAudience: id.audience,
            error: r.error,
            classification: r.classification,
            ...(claims.iss ? { issuer: claims.iss } : {}),
            ...(claims.sub ? { subject: claims.sub } : {}),
            ...(claims.aud ? { audience: claims.aud } : {}),
            elapsedMs: r.elapsedMs,
            pod: { namespace: ctx.namespace, serviceAccount: ctx.serviceAccount },
          },
          {
            ...where,
            stsError: { code: r.error.code ?? r.error.errno ?? r.error.name, httpStatus: r.error.httpStatus },
            stsMessage: redact(r.error.message),
            ...(r.classification.network ? { network: r.classification.network } : {}),
            elapsedMs: r.elapsedMs,
          },
        ),
      ];
    return [
      finding(
        'STS-OK',
        `STS exchanged a fresh token of ${who} (audience ${id.audience}) for credentials of ${r.assumedRoleArn}; they were checked and discarded.`,
        {
          details: {
            ...where,
            assumedRoleArn: r.assumedRoleArn,
            provider: r.provider,
            subject: r.subject,
            elapsedMs: r.elapsedMs,
          },
        },
      ),
      identityFinding(ctx, r.identity, call),
    ];
  },
};

/** Which role the credentials act as, against the annotation (names compared: session ARNs drop the path). */
function identityFinding(ctx: AuditContext, who: CallerIdentityAnswer, call: StsCall): Finding {
  if (!who.ok) {
    const said = redact(`${who.error.code ?? who.error.errno ?? who.error.name}: ${who.error.message}`);
    return finding('IDENTITY-ERROR', `GetCallerIdentity with the role's credentials failed: ${said}.`, {
      variant: who.classification.cause === 'STS-UNREACHABLE' ? 'unreachable' : 'refused',
      fix: { endpoint: call.endpoint, said },
      details: {
        stsError: who.error.code ?? who.error.errno ?? who.error.name,
        httpStatus: who.error.httpStatus,
      },
    });
  }
  const expected = parseRoleArn(call.roleArn);
  const details = {
    callerArn: who.arn,
    account: who.account,
    expectedRoleArn: call.roleArn,
    ...(expected.ok ? { expectedRoleName: expected.arn.name, expectedAccount: expected.arn.account } : {}),
  };
  if (roleNameMatches(call.roleArn, who.arn))
    return finding('IDENTITY-OK', `The credentials act as ${who.arn}, the role the ServiceAccount names.`, {
      details,
    });
  const assumed = parseAssumedRoleArn(who.arn);
  return finding(
    'IDENTITY-MISMATCH',
    `The credentials act as ${assumed ? `role ${assumed.roleName} in account ${assumed.account}` : who.arn} (${who.arn}), not ${call.roleArn}, the role the ServiceAccount names.`,
    {
      variant: call.endpointSource === 'regional default' ? 'regional' : 'redirected',
      fix: {
        endpoint: call.endpoint,
        endpointSource: call.endpointSource,
        namespace: ctx.namespace,
        serviceAccount: ctx.serviceAccount,
        roleArn: call.roleArn,
      },
      details,
    },
  );
}

/** Where the SDK sends this workstation's STS calls (it reads AWS_ENDPOINT_URL_* itself; this names it). */
function stsEndpointOf(
  env: Readonly<Record<string, string | undefined>>,
  region: string,
): { url: string; source: StsEndpointSource } {
  const ignore = (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '').toLowerCase() === 'true';
  if (!ignore && env.AWS_ENDPOINT_URL_STS)
    return { url: env.AWS_ENDPOINT_URL_STS, source: 'AWS_ENDPOINT_URL_STS' };
  if (!ignore && env.AWS_ENDPOINT_URL) return { url: env.AWS_ENDPOINT_URL, source: 'AWS_ENDPOINT_URL' };
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return { url: `https://sts.${region}.${suffix}`, source: 'regional default' };
}
