// EKS Pod Identity through the SDK's own provider. In @aws-sdk/credential-providers 3.1169 only
// `fromHttp` serves it: it accepts AWS_CONTAINER_CREDENTIALS_FULL_URI on 169.254.170.23 /
// [fd00:ec2::23] (or loopback/HTTPS) and reads AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE.
// `fromContainerMetadata` (@smithy/credential-provider-imds) allows only localhost/127.0.0.1 for a
// FULL_URI, reads no token file, and throws "169.254.170.23 is not a valid container metadata
// service hostname" - the message old SDKs (and the default chain's last resort) show.
import { BODY_TOO_LARGE } from '../../lib/body-too-large.js';
import { withDeadline } from '../../lib/deadline.js';
import { noProxyMatch, noProxyVariable, proxyVariable } from '../../lib/proxy/proxy-route.js';
import { redact, registerSecret } from '../../lib/redact.js';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import { agentSdk } from '../aws/agent-sdk.js';
import { SDK_METADATA_TIMEOUT_MS, stepBudget } from '../aws/sdk-options.js';
import type { Check } from '../check.js';
import type { AgentContext } from '../context.js';
import { pathNote, proxyFindings, proxyInvalidFinding, withPath } from '../net/path-findings.js';
import { describeStsError, stsErrorFacts } from '../sts/classify-sts-error.js';
import { credentialsProblem } from '../sts/credentials-problem.js';
import { getCallerIdentity } from '../sts/web-identity.js';
import { type PodFacts, podFacts } from '../token/pod-facts.js';
import { podIdentityToken } from '../token/token-files.js';
import { type ContainerProbe, probeContainerEndpoint } from './probe-container-endpoint.js';

const AGENT_HOST = '169.254.170.23';

export const podIdentityCheck: Check = {
  id: 'pod-identity',
  title: 'EKS Pod Identity agent credentials',
  async run(ctx) {
    const uri = ctx.env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
    if (!uri)
      return [
        finding('PODID-SKIPPED', 'AWS_CONTAINER_CREDENTIALS_FULL_URI is not set: no EKS Pod Identity.'),
      ];
    const tokenFile = ctx.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
    const [token, pod] = await Promise.all([podIdentityToken(ctx), podFacts(ctx)]);
    const base = { uri, tokenFile };
    if (!token.ok && token.reason !== 'malformed')
      return [
        finding('PODID-TOKEN-UNREADABLE', `The Pod Identity token cannot be read: ${token.detail}.`, {
          details: { ...base, reason: token.reason },
        }),
      ];
    const probe = await probeContainerEndpoint(ctx);
    if (probe.response.kind === 'error' && probe.response.errno === 'ERR_INVALID_URL')
      return [uriRejected(uri, probe.detail, base)];
    const path = probe.path;
    if (!path) return fromAgent(ctx, uri, probe, base, pod);
    if (path.route.via === 'invalid')
      return [proxyInvalidFinding(path.route, `the Pod Identity agent at ${uri}`, 'fail')];
    const own = await fromAgent(ctx, uri, probe, base, pod);
    const p = proxyFindings(path, {
      label: `the Pod Identity agent at ${uri}`,
      reached: probe.answered,
      severity: 'fail',
    });
    return withPath([...(p.replace ? [p.replace] : own), ...p.extra], path.route);
  },
};

/** What the agent (or whatever answers at its address) says, once the probe got an answer or none. */
async function fromAgent(
  ctx: AgentContext,
  uri: string,
  probe: ContainerProbe,
  base: Record<string, unknown>,
  pod: PodFacts,
): Promise<Finding[]> {
  const tokenFile = ctx.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
  const note = probe.path ? pathNote(probe.path.route) : '';
  if (!probe.answered)
    return [
      finding(
        'PODID-UNREACHABLE',
        `The Pod Identity agent at ${uri} does not answer${note}: ${probe.detail}.`,
        {
          variant:
            probe.response.kind === 'timeout' && probe.response.phase === 'response' ? 'silent' : 'noAnswer',
          fix: { namespace: pod.namespace },
          details: { ...base, probe: probe.detail, ...proxyFacts(ctx.env) },
        },
      ),
    ];
  if (probe.response.kind === 'response' && probe.response.truncated)
    return [notTheAgent(uri, probe.detail, base, pod)];

  const { fromHttp, capEverySdkHandler } = await agentSdk();
  const ms = stepBudget(ctx, SDK_METADATA_TIMEOUT_MS * 3);
  // fromHttp builds its own HTTP handler; this makes it one that caps the body it reads and
  // honours the proxy variables (never for the agent's link-local address).
  capEverySdkHandler(ctx.env);
  const provider = fromHttp({
    awsContainerCredentialsFullUri: uri,
    ...(tokenFile ? { awsContainerAuthorizationTokenFile: tokenFile } : {}),
    timeout: ms,
    maxRetries: 0,
  });
  let creds: Awaited<ReturnType<typeof provider>>;
  try {
    creds = await withDeadline(provider(), ms, 'Pod Identity agent', ctx.deadline.signal);
  } catch (e) {
    return [agentFailure(e, uri, base, pod)];
  }
  registerSecret(creds.secretAccessKey);
  registerSecret(creds.sessionToken);
  const problem = credentialsProblem(
    {
      AccessKeyId: creds.accessKeyId,
      SecretAccessKey: creds.secretAccessKey,
      SessionToken: creds.sessionToken,
      Expiration: creds.expiration,
    },
    ctx.now(),
  );
  if (problem) return [notTheAgent(uri, problem, base, pod)];
  const expiration = creds.expiration?.toISOString();
  const who = await getCallerIdentity(ctx, creds, 'sts:GetCallerIdentity (Pod Identity)');
  if (!who.ok)
    return [
      finding('PODID-OK', `The Pod Identity agent at ${uri} handed out credentials.`, {
        details: { ...base, expiration },
      }),
      finding(
        'PODID-IDENTITY-UNVERIFIED',
        `GetCallerIdentity with the Pod Identity credentials failed: ${redact(describeStsError(who.error))}.`,
        { details: base },
      ),
    ];
  return [
    finding('PODID-OK', `The Pod Identity agent at ${uri} handed out credentials for ${who.arn}${note}.`, {
      details: { ...base, callerArn: who.arn, account: who.account, expiration },
    }),
  ];
}

function agentFailure(e: unknown, uri: string, base: Record<string, unknown>, pod: PodFacts): Finding {
  const f = stsErrorFacts(e);
  // fromHttp keeps a JSON error body's Message (the agent's {"Message":"Access Denied"}) beside its own text.
  const agentSaid = (e as { Message?: unknown } | undefined)?.Message;
  const msg = redact(
    typeof agentSaid === 'string' && agentSaid.trim()
      ? `${f.message}: ${agentSaid.trim().slice(0, 200)}`
      : f.message,
  );
  if (/url not accepted|not a valid container metadata service/i.test(msg))
    return uriRejected(uri, msg, base);
  // Too much, not JSON, or JSON without the credential fields: whatever answered is not the agent.
  if (
    f.errno === BODY_TOO_LARGE ||
    f.name === 'SyntaxError' ||
    /BodyTooLargeError|SyntaxError|not of the required format|JSON/i.test(msg)
  )
    return notTheAgent(uri, msg, base, pod);
  const status = Number(/responded with status:?\s*(\d{3})/i.exec(msg)?.[1] ?? Number.NaN);
  const details = { ...base, ...(Number.isFinite(status) ? { httpStatus: status } : {}), error: msg };
  const who = { namespace: pod.namespace, serviceAccount: pod.serviceAccount, pod: pod.pod };
  if (status === 400)
    return finding(
      'PODID-BAD-REQUEST',
      `The Pod Identity agent answered 400: it found the Authorization token missing or malformed (${msg}).`,
      { details },
    );
  if (status === 403)
    return finding(
      'PODID-ACCESS-DENIED',
      `The Pod Identity agent answered 403: EKS Auth refused credentials for this pod (${msg}).`,
      { fix: who, details },
    );
  if (Number.isFinite(status))
    return finding('PODID-ERROR', `The Pod Identity agent answered HTTP ${status} (${msg}).`, {
      variant: 'status',
      details,
    });
  if (
    /ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|timed? ?out|socket hang up|did not answer/i.test(msg) ||
    f.name === 'DeadlineError'
  )
    return finding('PODID-UNREACHABLE', `The Pod Identity agent at ${uri} does not answer (${msg}).`, {
      variant: 'noAnswer',
      fix: who,
      details,
    });
  return finding('PODID-ERROR', `Getting credentials from the Pod Identity agent failed: ${msg}.`, {
    variant: 'other',
    fix: who,
    details,
  });
}

function notTheAgent(uri: string, why: string, base: Record<string, unknown>, pod: PodFacts): Finding {
  return finding('PODID-ERROR', `What answers at ${uri} is not the EKS Pod Identity agent: ${why}.`, {
    variant: 'notTheAgent',
    fix: { uri, namespace: pod.namespace, pod: pod.pod },
    details: { ...base, error: why },
  });
}

function uriRejected(uri: string, why: string, base: Record<string, unknown>): Finding {
  return finding('PODID-URI-REJECTED', `The AWS SDK refuses the container credentials URI ${uri}: ${why}.`, {
    details: base,
  });
}

/**
 * Whether an HTTP proxy is set that SDKs which proxy every address (unlike this tool, which never proxies
 * link-local ones) would send the agent's traffic to, unless NO_PROXY exempts the agent.
 */
function proxyFacts(env: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  if (!proxyVariable(env, 'http')) return {};
  const no = noProxyVariable(env);
  return { httpProxySet: true, noProxyCoversAgent: Boolean(no && noProxyMatch(no.value, AGENT_HOST, 80)) };
}
