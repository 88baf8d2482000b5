import { DEFAULT_AUDIENCE } from '../../aws/trust-policy.js';
import { redact } from '../../lib/redact.js';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { Check } from '../check.js';
import type { PathOutcome } from '../net/network-path.js';
import { pathNote, proxyFindings, proxyInvalidFinding, withPath } from '../net/path-findings.js';
import { podFacts } from '../token/pod-facts.js';
import { explainStsFailure } from './explain-sts-failure.js';
import { type StsCall, webIdentity } from './web-identity.js';

/** AssumeRoleWithWebIdentity with the pod's own token, and what each refusal means. */
export const stsCheck: Check = {
  id: 'sts',
  title: 'STS AssumeRoleWithWebIdentity with the pod token',
  async run(ctx) {
    const r = await webIdentity(ctx);
    if (r.status === 'proxy-invalid' && r.path.route.via === 'invalid')
      return [proxyInvalidFinding(r.path.route, `STS at ${r.call.endpoint}`, 'fail')];
    if (r.status === 'ok' || r.status === 'bad-credentials' || r.status === 'failed') {
      // STS answered (an STS error is an answer) unless the call never got past the network.
      const reached = r.status !== 'failed' || r.classification.cause !== 'STS-UNREACHABLE';
      return onPath(await callFindings(ctx, r), r.path, `STS at ${r.call.endpoint}`, reached);
    }
    return callFindings(ctx, r);
  },
};

/** The check's findings with the path of the call: a proxy failure named as such, details.proxy on each. */
function onPath(findings: Finding[], path: PathOutcome, label: string, reached: boolean): Finding[] {
  const p = proxyFindings(path, { label, reached, severity: 'fail' });
  const own = p.replace ? [p.replace] : findings;
  return withPath([...own, ...p.extra], path.route);
}

async function callFindings(
  ctx: Parameters<Check['run']>[0],
  r: Awaited<ReturnType<typeof webIdentity>>,
): Promise<Finding[]> {
  {
    if (r.status === 'skipped')
      return [finding('STS-SKIPPED', `Not calling STS: ${r.detail}. The env and token checks say why.`)];
    const where = callDetails(r.call);
    if (r.status === 'endpoint-invalid')
      return [
        finding(
          'STS-ENDPOINT-INVALID',
          `${r.envVar} ${r.problem}, so the SDK cannot call STS with it: STS was not contacted.`,
          {
            fix: { envVar: r.envVar, problem: r.problem, region: r.call.region },
            details: { envVar: r.envVar, problem: r.problem, region: r.call.region },
          },
        ),
      ];
    if (r.status === 'bad-credentials')
      return [
        finding(
          'STS-CREDENTIALS-INVALID',
          `${r.call.endpoint} answered AssumeRoleWithWebIdentity like STS, but ${r.problem}: no STS issues such credentials, so this is no success.`,
          {
            variant: r.call.endpointSource === 'regional default' ? 'regional' : 'redirected',
            fix: { endpoint: r.call.endpoint, endpointSource: r.call.endpointSource, region: r.call.region },
            details: {
              ...where,
              problem: r.problem,
              ...(r.assumedRoleArn ? { assumedRoleArn: r.assumedRoleArn } : {}),
              ...(r.expiration ? { expiration: r.expiration } : {}),
              elapsedMs: r.elapsedMs,
            },
          },
        ),
      ];
    if (r.status === 'proxy-invalid') return [];
    if (r.status === 'ok') {
      return [
        finding('STS-OK', `STS issued credentials for ${r.assumedRoleArn}${pathNote(r.path.route)}.`, {
          details: {
            ...where,
            assumedRoleArn: r.assumedRoleArn,
            expiration: r.credentials.expiration?.toISOString(),
            provider: r.provider,
            audience: r.audience,
            subject: r.subject,
            elapsedMs: r.elapsedMs,
          },
        }),
      ];
    }
    const claims = r.token.claims;
    const details = {
      ...where,
      stsError: { code: r.error.code ?? r.error.errno ?? r.error.name, httpStatus: r.error.httpStatus },
      stsMessage: redact(r.error.message),
      ...(r.classification.network ? { network: r.classification.network } : {}),
      ...(r.classification.jwks ? { jwks: r.classification.jwks } : {}),
      tokenIssuer: claims.iss,
      tokenSubject: claims.sub,
      tokenAudience: claims.aud,
      elapsedMs: r.elapsedMs,
    };
    return [
      explainStsFailure(
        {
          env: ctx.env,
          call: r.call,
          tokenAudience: tokenAudienceFor(claims.aud, ctx.options.audience),
          error: r.error,
          classification: r.classification,
          issuer: claims.iss,
          subject: claims.sub,
          audience: claims.aud,
          elapsedMs: r.elapsedMs,
          pod: await podFacts(ctx),
          route: r.path.route,
        },
        details,
      ),
    ];
  }
}

function callDetails(call: StsCall) {
  return {
    roleArn: call.roleArn,
    region: call.region,
    regionSource: call.regionSource,
    endpoint: call.endpoint,
    endpointSource: call.endpointSource,
    sessionName: call.sessionName,
  };
}

/**
 * The token audience the provider's client IDs and the trust policy's :aud must name: the one asked
 * for with --audience, else sts.amazonaws.com when the token carries it, else its first audience.
 */
export function tokenAudienceFor(aud: readonly string[] | undefined, asked?: string): string {
  const auds = aud ?? [];
  if (asked && auds.includes(asked)) return asked;
  if (auds.includes(DEFAULT_AUDIENCE)) return DEFAULT_AUDIENCE;
  return auds[0] || DEFAULT_AUDIENCE;
}
