// EKS Pod Identity through the SDK's own provider. In @aws-sdk/credential-providers 3.1169 only
// `fromHttp` serves it: it accepts AWS_CONTAINER_CREDENTIALS_FULL_URI on 169.254.170.23 /
// [fd00:ec2::23] (or loopback/HTTPS) and reads AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE.
// `fromContainerMetadata` (@smithy/credential-provider-imds) allows only localhost/127.0.0.1 for a
// FULL_URI, reads no token file, and throws "169.254.170.23 is not a valid container metadata
// service hostname" - the message old SDKs (and the default chain's last resort) show.
import { fromHttp } from '@aws-sdk/credential-providers';
import { withDeadline } from '../../lib/deadline.js';
import { redact, registerSecret } from '../../lib/redact.js';
import { fail, pass, skip, warn } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import { SDK_METADATA_TIMEOUT_MS, stepBudget } from '../aws/sdk-options.js';
import type { Check } from '../check.js';
import { probeContainerEndpoint } from '../facts/probe-container-endpoint.js';
import { loadPodIdentityToken } from '../facts/token.js';
import { getCallerIdentity } from '../facts/web-identity.js';
import { describeStsError, stsErrorFacts } from '../sts/classify-sts-error.js';

const AGENT_HOST = '169.254.170.23';

export const podIdentityCheck: Check = {
  id: 'pod-identity',
  title: 'EKS Pod Identity agent credentials',
  async run(ctx) {
    const uri = ctx.env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
    if (!uri)
      return [skip('PODID-SKIPPED', 'AWS_CONTAINER_CREDENTIALS_FULL_URI is not set: no EKS Pod Identity.')];
    const tokenFile = ctx.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
    const token = await loadPodIdentityToken(ctx);
    const base = { uri, tokenFile };
    if (!token.ok && token.reason !== 'malformed')
      return [
        fail(
          'PODID-TOKEN-UNREADABLE',
          `The Pod Identity token cannot be read: ${token.detail}.`,
          'Let the EKS Pod Identity webhook inject AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE and the eks-pod-identity-token projected volume (do not set them by hand); a non-root container needs securityContext.fsGroup to read it. Restart the pod.',
          { ...base, reason: token.reason },
        ),
      ];
    const probe = await probeContainerEndpoint(ctx);
    if (probe.response.kind === 'error' && probe.response.errno === 'ERR_INVALID_URL')
      return [uriRejected(uri, probe.detail, base)];
    if (!probe.answered)
      return [
        fail(
          'PODID-UNREACHABLE',
          `The Pod Identity agent at ${uri} does not answer: ${probe.detail}.`,
          unreachableFix(probe.response.kind === 'timeout' && probe.response.phase === 'response'),
          { ...base, probe: probe.detail, ...proxyFacts(ctx.env) },
        ),
      ];

    const ms = stepBudget(ctx, SDK_METADATA_TIMEOUT_MS * 3);
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
      return [agentFailure(e, uri, base)];
    }
    registerSecret(creds.secretAccessKey);
    registerSecret(creds.sessionToken);
    const expiration = creds.expiration?.toISOString();
    const who = await getCallerIdentity(ctx, creds, 'sts:GetCallerIdentity (Pod Identity)');
    if (!who.ok)
      return [
        pass('PODID-OK', `The Pod Identity agent at ${uri} handed out credentials.`, { ...base, expiration }),
        warn(
          'PODID-IDENTITY-UNVERIFIED',
          `GetCallerIdentity with the Pod Identity credentials failed: ${redact(describeStsError(who.error))}.`,
          'Allow egress from the pod to the STS endpoint (NetworkPolicy, security group, NO_PROXY) and check the node clock (NTP).',
          base,
        ),
      ];
    return [
      pass('PODID-OK', `The Pod Identity agent at ${uri} handed out credentials for ${who.arn}.`, {
        ...base,
        callerArn: who.arn,
        account: who.account,
        expiration,
      }),
    ];
  },
};

function agentFailure(e: unknown, uri: string, base: Record<string, unknown>): Finding {
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
  const status = Number(/responded with status:?\s*(\d{3})/i.exec(msg)?.[1] ?? Number.NaN);
  const details = { ...base, ...(Number.isFinite(status) ? { httpStatus: status } : {}), error: msg };
  if (status === 400)
    return fail(
      'PODID-BAD-REQUEST',
      `The Pod Identity agent answered 400: it found the Authorization token missing or malformed (${msg}).`,
      'Use the token the EKS Pod Identity webhook projects: do not set AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE or AWS_CONTAINER_CREDENTIALS_FULL_URI by hand, check the eks-pod-identity-token projected volume is mounted, restart the pod, and use an AWS SDK version that supports EKS Pod Identity.',
      details,
    );
  if (status === 403)
    return fail(
      'PODID-ACCESS-DENIED',
      `The Pod Identity agent answered 403: EKS Auth refused credentials for this pod (${msg}).`,
      'Check the association exists for this namespace and ServiceAccount (aws eks list-pod-identity-associations --cluster-name CLUSTER --namespace NAMESPACE --service-account SERVICE_ACCOUNT; create it with aws eks create-pod-identity-association ... --role-arn ROLE_ARN) and that the role trust policy allows {"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]} (aws iam get-role --role-name ROLE_NAME --query Role.AssumeRolePolicyDocument).',
      details,
    );
  if (Number.isFinite(status))
    return fail(
      'PODID-ERROR',
      `The Pod Identity agent answered HTTP ${status} (${msg}).`,
      'Check the agent: kubectl logs -n kube-system ds/eks-pod-identity-agent; a 5xx usually means EKS Auth was unreachable from the node, retry after it recovers.',
      details,
    );
  if (
    /ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|timed? ?out|socket hang up|did not answer/i.test(msg) ||
    f.name === 'DeadlineError'
  )
    return fail(
      'PODID-UNREACHABLE',
      `The Pod Identity agent at ${uri} does not answer (${msg}).`,
      unreachableFix(false),
      details,
    );
  return fail(
    'PODID-ERROR',
    `Getting credentials from the Pod Identity agent failed: ${msg}.`,
    'Check the agent (kubectl logs -n kube-system ds/eks-pod-identity-agent) and the response it gives: kubectl exec POD -- curl -s -H "Authorization: $(cat $AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE)" $AWS_CONTAINER_CREDENTIALS_FULL_URI -o /dev/null -w "%{http_code}".',
    details,
  );
}

function uriRejected(uri: string, why: string, base: Record<string, unknown>): Finding {
  return fail(
    'PODID-URI-REJECTED',
    `The AWS SDK refuses the container credentials URI ${uri}: ${why}.`,
    `Leave AWS_CONTAINER_CREDENTIALS_FULL_URI as the webhook injects it (http://${AGENT_HOST}/v1/credentials); if the application reports "${AGENT_HOST} is not a valid container metadata service hostname", upgrade its AWS SDK to a version that supports EKS Pod Identity.`,
    base,
  );
}

function unreachableFix(connectedButSilent: boolean): string {
  const head = connectedButSilent
    ? 'Something accepts the connection but never answers: usually an HTTP proxy. Add 169.254.170.23,[fd00:ec2::23] to NO_PROXY/no_proxy.'
    : 'Check the agent runs on this node (kubectl get ds eks-pod-identity-agent -n kube-system; aws eks describe-addon --cluster-name CLUSTER --addon-name eks-pod-identity-agent).';
  return `${head} Allow egress to ${AGENT_HOST}/32 port 80 in NetworkPolicies (kubectl get networkpolicy -n NAMESPACE), add ${AGENT_HOST} to NO_PROXY if HTTP_PROXY is set, and do not run this pod with hostNetwork.`;
}

/** Whether an HTTP proxy would carry the agent's traffic (many SDKs honour HTTP_PROXY; NO_PROXY must exempt it). */
function proxyFacts(env: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  const proxy = env.HTTP_PROXY ?? env.http_proxy;
  if (!proxy) return {};
  const noProxy = (env.NO_PROXY ?? env.no_proxy ?? '').split(',').map((s) => s.trim());
  return {
    httpProxySet: true,
    noProxyCoversAgent: noProxy.some((h) => h === AGENT_HOST || h === '169.254.170.0/24' || h === '*'),
  };
}
