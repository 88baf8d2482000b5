// One finding per refused request, with the remediation naming the role ARN (never the session ARN).
import { fail } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { OpenSearchDenial } from './classify-opensearch-error.js';
import {
  accessPolicyRemediation,
  aossRemediation,
  domainArn,
  identityPolicyRemediation,
  type RemediationTarget,
  roleMappingRemediation,
} from './opensearch-remediation.js';
import type { OpenSearchTarget } from './parse-opensearch-target.js';

export interface DenialContext {
  target: OpenSearchTarget & { region: string };
  /** the role the remediation should grant: the pod's IRSA role, not a node role */
  fix: RemediationTarget;
  /** the request was signed as the node role (IMDS fallback): granting that role is the wrong fix */
  nodeRole: boolean;
  /** OpenSearch roles the account API says the user is mapped to, when it answered */
  fgacRoles?: string[];
  details: Record<string, unknown>;
}

const POLICY_TYPE_FIX: Record<string, string> = {
  'permissions boundary':
    'add es:ESHttp* to the permissions boundary attached to the role (aws iam get-role --role-name ROLE --query Role.PermissionsBoundary)',
  'service control policy':
    'an AWS Organizations SCP on the account denies or does not allow it; ask the organization admins to allow es:ESHttp* (aws organizations list-policies-for-target --target-id ACCOUNT --filter SERVICE_CONTROL_POLICY)',
  'resource control policy':
    'an AWS Organizations resource control policy restricts the domain; ask the organization admins to allow this principal',
  'session policy':
    'the credentials were issued with a session policy that excludes it; request them without that policy',
  'vpc endpoint policy':
    'the VPC endpoint policy in the path does not allow it; add the role and es:ESHttp* to that endpoint policy',
};

const NODE_ROLE_NOTE =
  "The request was signed as the EC2 node role (see OS-NODE-ROLE): do not grant the node role; fix IRSA, then grant the pod's role. ";

export function denialFinding(d: OpenSearchDenial, status: number, c: DenialContext): Finding {
  const { target: t } = c;
  const details = { ...c.details, httpStatus: status, response: d.text };
  const note = c.nodeRole ? NODE_ROLE_NOTE : '';
  const seen = 'principal' in d && d.principal ? ` as ${d.principal}` : '';
  switch (d.kind) {
    case 'access-policy':
      return fail(
        'OS-ACCESS-POLICY',
        `OpenSearch ${t.url} refused the request${seen}: the domain access policy ${d.explicitDeny ? 'explicitly denies' : 'does not allow'} ${d.action ?? 'es:ESHttp*'}.`,
        note + accessPolicyRemediation(c.fix, d.explicitDeny),
        details,
      );
    case 'identity-policy': {
      const action = d.action ?? 'es:ESHttp*';
      if (d.policyType !== 'identity-based policy')
        return fail(
          'OS-IDENTITY-POLICY',
          `OpenSearch ${t.url} refused the request${seen}: ${d.explicitDeny ? `a ${d.policyType} explicitly denies` : `no ${d.policyType} allows`} ${action}.`,
          `${note}A ${d.policyType} on the caller's side blocks ${action}: ${POLICY_TYPE_FIX[d.policyType] ?? 'allow the action there'}; the role's own policy must also allow es:ESHttp* on ${domainArn(c.fix)}/*.`,
          { ...details, policyType: d.policyType },
        );
      return fail(
        'OS-IDENTITY-POLICY',
        `OpenSearch ${t.url} refused the request${seen}: ${d.explicitDeny ? 'an identity-based policy explicitly denies' : 'no policy of the role allows'} ${action}.`,
        note + identityPolicyRemediation(c.fix, d.explicitDeny),
        { ...details, policyType: d.policyType },
      );
    }
    case 'fgac-unmapped': {
      const roles = c.fgacRoles ?? [];
      const mapped = roles.length
        ? `is mapped to [${roles.join(', ')}], which do not grant ${d.action ?? 'the action'}`
        : `no role mapping grants it ${d.action ?? 'the action'}`;
      const widen = roles.length
        ? `Grant ${d.action ?? 'the action'} to one of [${roles.join(', ')}] (PUT _plugins/_security/api/roles/NAME with the cluster/index permissions), or map the role to a broader OpenSearch role. `
        : '';
      return fail(
        'OS-FGAC-UNMAPPED',
        `Fine-grained access control on ${t.url} knows user ${d.user ?? '(unknown)'} (backend roles [${d.backendRoles.join(', ')}]) but ${mapped}.`,
        note + widen + roleMappingRemediation(c.fix),
        { ...details, fgacUser: d.user, backendRoles: d.backendRoles, action: d.action, fgacRoles: roles },
      );
    }
    case 'anonymous':
      return fail(
        'OS-ANONYMOUS',
        `OpenSearch ${t.url} saw the request as anonymous (unsigned) although the agent signed it with SigV4 (HTTP ${status}).`,
        `Something between the pod and ${t.host} drops or rewrites the Authorization header: route ${t.host} around HTTP proxies (add it to NO_PROXY) or make the proxy forward Authorization, X-Amz-Date, X-Amz-Content-Sha256 and X-Amz-Security-Token unchanged. Applications must sign every request (Camunda: global.opensearch.aws.enabled=true).`,
        details,
      );
    case 'signature':
      return signatureFinding(d, status, c, details);
    case 'invalid-token':
      return fail(
        'OS-INVALID-TOKEN',
        `OpenSearch ${t.url} rejected the credentials: the security token is ${d.expired ? 'expired' : 'invalid'}.`,
        d.expired
          ? 'The credentials were stale when used: check the pod clock (date -u) and that the application refreshes credentials from the default chain instead of caching keys.'
          : `AWS does not accept these credentials in ${t.region}: use regional STS (AWS_STS_REGIONAL_ENDPOINTS=regional) so session tokens are valid in opt-in regions, and remove static AWS_ACCESS_KEY_ID / ~/.aws credentials that shadow IRSA.`,
        details,
      );
    case 'aoss-forbidden':
      // A bare Forbidden is Serverless's answer, unless the host name says managed domain: then
      // something else (a proxy, a WAF) answered, and signing for aoss would not help.
      if (t.service === 'es' && t.hostService !== 'es')
        return fail(
          'OS-SIGNATURE',
          `${t.url} answered with OpenSearch Serverless's 403, but the request was signed for service "es".`,
          'Sign for service "aoss" for a Serverless collection: --opensearch-service aoss, and in the application use the aoss service name.',
          { ...details, signedService: t.service, expectedService: 'aoss' },
        );
      if (t.service === 'es')
        return fail(
          'OS-HTTP-ERROR',
          `OpenSearch ${t.url} answered HTTP ${status} "${d.text || 'Forbidden'}", which is not how a managed domain refuses a request.`,
          `Something other than the domain answered: route ${t.host} around HTTP proxies (NO_PROXY) and check for a WAF or load balancer in front of it; a domain's own refusals name the policy or role that refused.`,
          details,
        );
      return fail(
        'OS-AOSS-FORBIDDEN',
        `OpenSearch Serverless ${t.url} refused the request (HTTP 403 Forbidden).`,
        note + aossRemediation(c.fix),
        details,
      );
    default:
      return fail(
        'OS-HTTP-ERROR',
        `OpenSearch ${t.url} answered HTTP ${status}: ${d.text || '(empty body)'}.`,
        `Act on that answer; make sure the URL is the bare endpoint (https://${t.host}, no path) and that no proxy answers in its place.`,
        details,
      );
  }
}

function signatureFinding(
  d: Extract<OpenSearchDenial, { kind: 'signature' }>,
  status: number,
  c: DenialContext,
  details: Record<string, unknown>,
): Finding {
  const t = c.target;
  const problems: string[] = [];
  const fixes: string[] = [];
  const expectService =
    d.expectedService ?? (t.hostService && t.hostService !== t.service ? t.hostService : undefined);
  if (expectService && expectService !== t.service) {
    problems.push(
      `signed for service "${t.service}" (${t.serviceSource === 'flag' ? '--opensearch-service' : t.serviceSource === 'host' ? 'from the host name' : 'default'}) but the endpoint expects "${expectService}"`,
    );
    fixes.push(
      `sign for "${expectService}" (${expectService === 'aoss' ? 'Serverless collections' : 'managed domains'}): --opensearch-service ${expectService}, and the same service name in the application`,
    );
  }
  const expectRegion = t.hostRegion && t.hostRegion !== t.region ? t.hostRegion : undefined;
  if (d.wrongRegion || expectRegion) {
    problems.push(
      `signed for region "${d.wrongRegion ?? t.region}" (${t.regionSource === 'host' ? 'from the host name' : '--region / AWS_REGION'})${expectRegion ? ` but the host name says "${expectRegion}"` : ", which is not the endpoint's region"}`,
    );
    fixes.push(
      `sign for the endpoint's region${expectRegion ? ` (${expectRegion})` : ''}: --region and the application's AWS region`,
    );
  }
  if (problems.length === 0) {
    problems.push(`the signature does not match (signed for ${t.service} in ${t.region})`);
    fixes.push(
      `make sure nothing rewrites the Host header or path between signing and sending (proxies, a custom endpoint in front of the domain: sign for the host the request reaches), and that the secret key belongs to the access key`,
    );
  }
  return fail(
    'OS-SIGNATURE',
    `OpenSearch ${t.url} rejected the SigV4 signature (HTTP ${status}): ${problems.join('; ')}.`,
    `${fixes.map((f) => f[0]!.toUpperCase() + f.slice(1)).join('. ')}.`,
    {
      ...details,
      signedService: t.service,
      signedRegion: t.region,
      expectedService: expectService,
      wrongRegion: d.wrongRegion,
    },
  );
}
