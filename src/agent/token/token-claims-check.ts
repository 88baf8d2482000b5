import { issuerHostOf, oidcProviderArn } from '../../aws/trust-policy.js';
import { parseRoleArn } from '../../lib/arn.js';
import { isoOfSeconds, type TokenClaims } from '../../lib/jwt.js';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { Check } from '../check.js';
import { type PodServiceAccount, podServiceAccount } from './pod-service-account.js';
import { presentTokenSources, type TokenSource } from './token-sources.js';

/** Clock skew we forgive on nbf/iat before calling a token "not yet valid". */
const SKEW_SECONDS = 60;
/** Slack on top of the kubelet's refresh point before a token counts as stale. */
const REFRESH_SLACK_SECONDS = 600;
const SUB_RE = /^system:serviceaccount:([^:]+):([^:]+)$/;

export interface ClaimExpectations {
  mechanism: TokenSource['mechanism'];
  envVar: string;
  /** audiences of which the token must carry at least one */
  audiences: string[];
  nowSeconds: number;
  pod: PodServiceAccount;
  /** AWS_ROLE_ARN, to name the OIDC provider in the role's account in fixes. */
  roleArn?: string;
}

/** Claims as they go into details: no signature, no token. */
export function claimSummary(c: TokenClaims): Record<string, unknown> {
  const iso = isoOfSeconds;
  const k = c.kubernetes;
  return {
    iss: c.iss,
    sub: c.sub,
    aud: c.aud,
    exp: iso(c.exp),
    iat: iso(c.iat),
    nbf: iso(c.nbf),
    namespace: k?.namespace,
    serviceAccount: k?.serviceaccount?.name,
    pod: k?.pod?.name,
    node: k?.node?.name,
  };
}

/** Pure judgement of one token's claims. */
export function analyseClaims(c: TokenClaims, x: ClaimExpectations): Finding[] {
  const details = { mechanism: x.mechanism, envVar: x.envVar, claims: claimSummary(c) };
  const required = ['iss', 'sub', 'aud', 'exp'] as const;
  const unusable = required.filter((k) => c.unusable?.[k] !== undefined);
  const absent = required.filter((k) => {
    const v = c[k];
    return !unusable.includes(k) && (v === undefined || v === '' || (Array.isArray(v) && v.length === 0));
  });
  if (absent.length > 0 || unusable.length > 0) {
    const problems = [
      ...(absent.length > 0 ? [`has no ${absent.join(', ')} claim`] : []),
      ...unusable.map((k) => `its ${k} is ${c.unusable?.[k]}`),
    ];
    return [
      finding(
        'TOKEN-CLAIMS-INCOMPLETE',
        `The token in ${x.envVar} ${problems.join(' and ')}, so it is not a Kubernetes projected service-account token.`,
        {
          details: {
            ...details,
            ...(absent.length ? { absent } : {}),
            ...(c.unusable ? { unusable: c.unusable } : {}),
          },
        },
      ),
    ];
  }
  const out: Finding[] = [];
  const now = x.nowSeconds;
  const exp = c.exp!;
  const t = (s: number) => isoOfSeconds(s) ?? `${s} s`;
  if (now >= exp) {
    out.push(
      finding(
        'TOKEN-EXPIRED',
        `The token in ${x.envVar} expired at ${t(exp)}, ${now - exp} s ago (now ${t(now)}).`,
        {
          variant: 'expired',
          details: { ...details, expiredAgoSeconds: now - exp },
        },
      ),
    );
  } else {
    const future = (['nbf', 'iat'] as const).filter((k) => c[k] !== undefined && c[k]! > now + SKEW_SECONDS);
    if (future.length > 0)
      out.push(
        finding(
          'TOKEN-EXPIRED',
          `The token in ${x.envVar} is not valid yet: ${future.map((k) => `${k} ${t(c[k]!)}`).join(', ')} is after now (${t(now)}). The node's clock and this pod's clock disagree.`,
          {
            variant: 'notYetValid',
            details: { ...details, aheadSeconds: Math.max(...future.map((k) => c[k]! - now)) },
          },
        ),
      );
    else if (c.iat !== undefined && exp > c.iat) {
      const refreshAfter = Math.min(0.8 * (exp - c.iat), 86400);
      const age = now - c.iat;
      if (age > refreshAfter + REFRESH_SLACK_SECONDS)
        out.push(
          finding(
            'TOKEN-STALE',
            `The token in ${x.envVar} was issued ${Math.round(age / 3600)} h ago and still sits in the file although the kubelet refreshes it after ${Math.round(refreshAfter / 3600)} h; it expires at ${t(exp)}.`,
            { details: { ...details, ageSeconds: age, refreshAfterSeconds: refreshAfter } },
          ),
        );
    }
  }
  const aud = c.aud!;
  const role = x.roleArn ? parseRoleArn(x.roleArn) : undefined;
  if (!x.audiences.some((a) => aud.includes(a))) {
    out.push(
      finding(
        'TOKEN-AUDIENCE',
        `The token in ${x.envVar} has audience ${JSON.stringify(aud)}, which lacks ${x.audiences.join(' or ')}; ${x.mechanism === 'pod-identity' ? 'EKS Auth' : 'STS'} will reject it ("Incorrect token audience").`,
        {
          variant: x.mechanism === 'pod-identity' ? 'podIdentity' : 'irsa',
          fix: {
            serviceAccount: c.kubernetes?.serviceaccount?.name,
            namespace: c.kubernetes?.namespace,
            expected: x.audiences[0],
            audience: aud[0],
            providerArn:
              role?.ok && c.iss ? oidcProviderArn(role.arn.partition, role.arn.account, c.iss) : undefined,
          },
          details: { ...details, expected: x.audiences },
        },
      ),
    );
  }
  const subject = subjectProblem(c, x.pod);
  if (subject)
    out.push(
      finding('TOKEN-SUBJECT', `The token in ${x.envVar} is for ${c.sub}, but ${subject.why}.`, {
        fix: {
          envVar: x.envVar,
          issuerHost: c.iss ? issuerHostOf(c.iss) : undefined,
          subject: subject.expected,
        },
        details: { ...details, expectedSubject: subject.expected, podServiceAccountDir: x.pod.dir },
      }),
    );
  if (out.length === 0)
    out.push(
      finding(
        'TOKEN-CLAIMS-OK',
        `The token in ${x.envVar} is valid until ${t(exp)}, for ${c.sub}, audience ${aud.join(',')}.`,
        { details },
      ),
    );
  return out;
}

function subjectProblem(
  c: TokenClaims,
  pod: PodServiceAccount,
): { why: string; expected?: string } | undefined {
  const m = SUB_RE.exec(c.sub!);
  const k = c.kubernetes;
  const fromClaim =
    k?.namespace && k.serviceaccount?.name
      ? `system:serviceaccount:${k.namespace}:${k.serviceaccount.name}`
      : undefined;
  if (!m)
    return {
      why: 'a ServiceAccount token has sub system:serviceaccount:NAMESPACE:NAME',
      expected: pod.subject ?? fromClaim,
    };
  if (fromClaim && fromClaim !== c.sub)
    return {
      why: `its own kubernetes.io claim says ${fromClaim} (a hand-crafted or tampered token)`,
      expected: pod.subject ?? fromClaim,
    };
  if (pod.subject && pod.subject !== c.sub)
    return {
      why: `this pod runs as ${pod.subject} (from its Kubernetes API token in ${pod.dir})`,
      expected: pod.subject,
    };
  if (pod.namespace && pod.namespace !== m[1])
    return {
      why: `this pod runs in namespace ${pod.namespace} (from ${pod.dir}/namespace)`,
      expected: pod.serviceAccount
        ? `system:serviceaccount:${pod.namespace}:${pod.serviceAccount}`
        : undefined,
    };
  return undefined;
}

/** Decodes each present token (never prints it) and judges expiry, audience and subject. */
export const tokenClaimsCheck: Check = {
  id: 'token-claims',
  title: 'Token claims: expiry, audience, subject',
  sdkFree: true,
  async run(ctx) {
    const sources = presentTokenSources(ctx);
    if (sources.length === 0)
      return [
        finding('TOKEN-CLAIMS-SKIPPED', 'No token file variable is set, so there are no claims to check.'),
      ];
    const pod = await podServiceAccount(ctx);
    const nowSeconds = Math.floor(ctx.now().getTime() / 1000);
    const findings: Finding[] = [];
    for (const s of sources) {
      const load = await s.load(ctx);
      if (!load.ok) {
        findings.push(
          finding('TOKEN-CLAIMS-SKIPPED', `No readable token in ${s.envVar} (see the token-file check).`, {
            details: { mechanism: s.mechanism, reason: load.reason },
          }),
        );
        continue;
      }
      const audiences =
        s.mechanism === 'irsa' && ctx.options.audience ? [ctx.options.audience] : [s.audience];
      findings.push(
        ...analyseClaims(load.claims, {
          mechanism: s.mechanism,
          envVar: s.envVar,
          audiences,
          nowSeconds,
          pod,
          roleArn: ctx.env.AWS_ROLE_ARN?.trim(),
        }),
      );
    }
    return findings;
  },
};
