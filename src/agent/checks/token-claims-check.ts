import type { TokenClaims } from '../../lib/jwt.js';
import { fail, pass, skip, warn } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { Check } from '../check.js';
import { loadPodServiceAccount, type PodServiceAccount } from '../facts/token.js';
import { presentTokenSources, type TokenSource } from './token-file-check.js';

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
}

/** Claims as they go into details: no signature, no token. */
export function claimSummary(c: TokenClaims): Record<string, unknown> {
  const iso = (t?: number) => (t === undefined ? undefined : new Date(t * 1000).toISOString());
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
  const absent = (['iss', 'sub', 'aud', 'exp'] as const).filter((k) => {
    const v = c[k];
    return v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
  });
  if (absent.length > 0)
    return [
      fail(
        'TOKEN-CLAIMS-INCOMPLETE',
        `The token in ${x.envVar} has no ${absent.join(', ')} claim, so it is not a Kubernetes projected service-account token.`,
        'Mount the kubelet-projected serviceAccountToken volume the webhook adds at the token path, and restart the pod.',
        details,
      ),
    ];
  const out: Finding[] = [];
  const now = x.nowSeconds;
  const exp = c.exp!;
  const t = (s: number) => new Date(s * 1000).toISOString();
  if (now >= exp) {
    out.push(
      fail(
        'TOKEN-EXPIRED',
        `The token in ${x.envVar} expired at ${t(exp)}, ${now - exp} s ago (now ${t(now)}).`,
        'The kubelet rewrites the projected token at 80% of its lifetime (or after 24 h), so an expired file means it is not being refreshed: mount the projected volume directly (no subPath, no copied file), check the node clock (chrony/NTP) and kubelet logs, and restart the pod. Applications must re-read the file, not cache the token.',
        { ...details, expiredAgoSeconds: now - exp },
      ),
    );
  } else {
    const future = (['nbf', 'iat'] as const).filter((k) => c[k] !== undefined && c[k]! > now + SKEW_SECONDS);
    if (future.length > 0)
      out.push(
        fail(
          'TOKEN-EXPIRED',
          `The token in ${x.envVar} is not valid yet: ${future.map((k) => `${k} ${t(c[k]!)}`).join(', ')} is after now (${t(now)}). The node's clock and this pod's clock disagree.`,
          'Fix clock skew: make the node sync time (chrony/NTP, Amazon Time Sync 169.254.169.123) and restart the pod; STS rejects tokens that are not yet valid.',
          { ...details, aheadSeconds: Math.max(...future.map((k) => c[k]! - now)) },
        ),
      );
    else if (c.iat !== undefined && exp > c.iat) {
      const refreshAfter = Math.min(0.8 * (exp - c.iat), 86400);
      const age = now - c.iat;
      if (age > refreshAfter + REFRESH_SLACK_SECONDS)
        out.push(
          warn(
            'TOKEN-STALE',
            `The token in ${x.envVar} was issued ${Math.round(age / 3600)} h ago and still sits in the file although the kubelet refreshes it after ${Math.round(refreshAfter / 3600)} h; it expires at ${t(exp)}.`,
            'Mount the projected volume without subPath (subPath mounts and copied files never refresh), check the kubelet on the node for token request errors, and restart the pod.',
            { ...details, ageSeconds: age, refreshAfterSeconds: refreshAfter },
          ),
        );
    }
  }
  const aud = c.aud!;
  if (!x.audiences.some((a) => aud.includes(a))) {
    const fix =
      x.mechanism === 'pod-identity'
        ? 'The EKS Pod Identity webhook projects this token with audience pods.eks.amazonaws.com: remove any hand-written eks-pod-identity-token volume from the pod spec and restart the pod.'
        : `The webhook projects the token with the ServiceAccount annotation eks.amazonaws.com/audience (default sts.amazonaws.com). Either remove or fix that annotation (kubectl annotate sa ${c.kubernetes?.serviceaccount?.name ?? 'SA'} -n ${c.kubernetes?.namespace ?? 'NS'} eks.amazonaws.com/audience- , or =${x.audiences[0]} --overwrite) and restart the pods, or, if ${aud[0]} is intended, add it as a client ID of the IAM OIDC provider (aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ARN --client-id ${aud[0]}), use it in the trust policy :aud condition, and run with --audience ${aud[0]}.`;
    out.push(
      fail(
        'TOKEN-AUDIENCE',
        `The token in ${x.envVar} has audience ${JSON.stringify(aud)}, which lacks ${x.audiences.join(' or ')}; ${x.mechanism === 'pod-identity' ? 'EKS Auth' : 'STS'} will reject it ("Incorrect token audience").`,
        fix,
        { ...details, expected: x.audiences },
      ),
    );
  }
  const subject = subjectProblem(c, x.pod);
  if (subject)
    out.push(
      fail(
        'TOKEN-SUBJECT',
        `The token in ${x.envVar} is for ${c.sub}, but ${subject.why}.`,
        `Use the token the webhook projects for the pod's own ServiceAccount: remove any hand-made token volume, copied token file or ${x.envVar} override from the pod spec, and restart the pod. The role's trust policy must name that ServiceAccount: "<issuer host>:sub": "${subject.expected ?? 'system:serviceaccount:NS:SA'}".`,
        { ...details, expectedSubject: subject.expected, podServiceAccountDir: x.pod.dir },
      ),
    );
  if (out.length === 0)
    out.push(
      pass(
        'TOKEN-CLAIMS-OK',
        `The token in ${x.envVar} is valid until ${t(exp)}, for ${c.sub}, audience ${aud.join(',')}.`,
        details,
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
  async run(ctx) {
    const sources = presentTokenSources(ctx);
    if (sources.length === 0)
      return [
        skip('TOKEN-CLAIMS-SKIPPED', 'No token file variable is set, so there are no claims to check.'),
      ];
    const pod = await loadPodServiceAccount(ctx);
    const nowSeconds = Math.floor(ctx.now().getTime() / 1000);
    const findings: Finding[] = [];
    for (const s of sources) {
      const load = await s.load(ctx);
      if (!load.ok) {
        findings.push(
          skip('TOKEN-CLAIMS-SKIPPED', `No readable token in ${s.envVar} (see the token-file check).`, {
            mechanism: s.mechanism,
            reason: load.reason,
          }),
        );
        continue;
      }
      const k = load.claims.kubernetes;
      if (k && (s.mechanism === 'irsa' || !ctx.facts.namespace)) {
        if (k.namespace) ctx.facts.namespace = k.namespace;
        if (k.serviceaccount?.name) ctx.facts.serviceAccount = k.serviceaccount.name;
        if (k.pod?.name) ctx.facts.pod = k.pod.name;
        if (k.node?.name) ctx.facts.node = k.node.name;
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
        }),
      );
    }
    return findings;
  },
};
