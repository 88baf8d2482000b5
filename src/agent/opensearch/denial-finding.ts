// One finding per refused request, with the fix naming the role ARN (never the session ARN).
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { OpenSearchDenial } from './classify-opensearch-error.js';
import {
  accessPolicyStatement,
  aossPolicies,
  arnParts,
  domainArn,
  identityPolicyDocument,
  type RemediationTarget,
} from './opensearch-remediation.js';
import type { OpenSearchTarget } from './parse-opensearch-target.js';

export interface DenialContext {
  target: OpenSearchTarget & { region: string };
  /** the role the fix should grant: the pod's IRSA role, not a node role */
  fix: RemediationTarget;
  /** the request was signed as the node role (IMDS fallback): granting that role is the wrong fix */
  nodeRole: boolean;
  /** OpenSearch roles the account API says the user is mapped to, when it answered */
  fgacRoles?: string[];
  details: Record<string, unknown>;
}

/** The fix variant for a policy type on the caller's side other than the role's own policies. */
const POLICY_TYPE_VARIANT = {
  'permissions boundary': 'boundary',
  'service control policy': 'scp',
  'resource control policy': 'rcp',
  'session policy': 'session',
  'vpc endpoint policy': 'vpcEndpoint',
} as const;

export function denialFinding(d: OpenSearchDenial, status: number, c: DenialContext): Finding {
  const { target: t } = c;
  const details = { ...c.details, httpStatus: status, response: d.text };
  const seen = 'principal' in d && d.principal ? ` as ${d.principal}` : '';
  const role = arnParts(c.fix.roleArn);
  const values = {
    roleArn: c.fix.roleArn,
    roleName: c.fix.roleArn ? role.name : undefined,
    account: c.fix.roleArn ? role.account : undefined,
    domainName: c.fix.domainName,
    domainArn: domainArn(c.fix),
    region: t.region,
    url: c.fix.url,
    host: t.host,
  };
  const lead = <V extends string>(v: V): Array<V | 'nodeRole'> => (c.nodeRole ? ['nodeRole', v] : [v]);
  switch (d.kind) {
    case 'access-policy':
      return finding(
        'OS-ACCESS-POLICY',
        `OpenSearch ${t.url} refused the request${seen}: the domain access policy ${d.explicitDeny ? 'explicitly denies' : 'does not allow'} ${d.action ?? 'es:ESHttp*'}.`,
        {
          variant: lead(d.explicitDeny ? 'deny' : 'allow'),
          fix: { ...values, statement: accessPolicyStatement(c.fix) },
          details,
        },
      );
    case 'identity-policy': {
      const action = d.action ?? 'es:ESHttp*';
      if (d.policyType !== 'identity-based policy')
        return finding(
          'OS-IDENTITY-POLICY',
          `OpenSearch ${t.url} refused the request${seen}: ${d.explicitDeny ? `a ${d.policyType} explicitly denies` : `no ${d.policyType} allows`} ${action}.`,
          {
            variant: lead(
              POLICY_TYPE_VARIANT[d.policyType as keyof typeof POLICY_TYPE_VARIANT] ?? 'otherPolicy',
            ),
            fix: { ...values, action, policyType: d.policyType },
            details: { ...details, policyType: d.policyType },
          },
        );
      return finding(
        'OS-IDENTITY-POLICY',
        `OpenSearch ${t.url} refused the request${seen}: ${d.explicitDeny ? 'an identity-based policy explicitly denies' : 'no policy of the role allows'} ${action}.`,
        {
          variant: lead(d.explicitDeny ? 'deny' : 'allow'),
          fix: { ...values, policyDocument: identityPolicyDocument(c.fix) },
          details: { ...details, policyType: d.policyType },
        },
      );
    }
    case 'fgac-unmapped': {
      const roles = c.fgacRoles ?? [];
      const mapped = roles.length
        ? `is mapped to [${roles.join(', ')}], which do not grant ${d.action ?? 'the action'}`
        : `no role mapping grants it ${d.action ?? 'the action'}`;
      return finding(
        'OS-FGAC-UNMAPPED',
        `Fine-grained access control on ${t.url} knows user ${d.user ?? '(unknown)'} (backend roles [${d.backendRoles.join(', ')}]) but ${mapped}.`,
        {
          variant: [
            ...(c.nodeRole ? ['nodeRole' as const] : []),
            ...(roles.length ? ['widen' as const] : []),
            'map',
          ],
          fix: { ...values, action: d.action, fgacRoles: roles.join(', ') },
          details: {
            ...details,
            fgacUser: d.user,
            backendRoles: d.backendRoles,
            action: d.action,
            fgacRoles: roles,
          },
        },
      );
    }
    case 'anonymous':
      return finding(
        'OS-ANONYMOUS',
        `OpenSearch ${t.url} saw the request as anonymous (unsigned) although the agent signed it with SigV4 (HTTP ${status}).`,
        { fix: values, details },
      );
    case 'signature':
      return signatureFinding(d, status, c, details);
    case 'invalid-token':
      return finding(
        'OS-INVALID-TOKEN',
        `OpenSearch ${t.url} rejected the credentials: the security token is ${d.expired ? 'expired' : 'invalid'}.`,
        { variant: d.expired ? 'expired' : 'invalid', fix: values, details },
      );
    case 'aoss-forbidden':
      // A bare Forbidden is Serverless's answer, unless the host name says managed domain: then
      // something else (a proxy, a WAF) answered, and signing for aoss would not help.
      if (t.service === 'es' && t.hostService !== 'es')
        return finding(
          'OS-SIGNATURE',
          `${t.url} answered with OpenSearch Serverless's 403, but the request was signed for service "es".`,
          {
            variant: 'serverless',
            details: { ...details, signedService: t.service, expectedService: 'aoss' },
          },
        );
      if (t.service === 'es')
        return finding(
          'OS-HTTP-ERROR',
          `OpenSearch ${t.url} answered HTTP ${status} "${d.text || 'Forbidden'}", which is not how a managed domain refuses a request.`,
          { variant: 'notTheDomain', fix: values, details },
        );
      return finding(
        'OS-AOSS-FORBIDDEN',
        `OpenSearch Serverless ${t.url} refused the request (HTTP 403 Forbidden).`,
        {
          variant: lead('policies'),
          fix: { ...values, collectionId: c.fix.collectionId, ...aossPolicies(c.fix) },
          details,
        },
      );
    default:
      return finding(
        'OS-HTTP-ERROR',
        `OpenSearch ${t.url} answered HTTP ${status}: ${d.text || '(empty body)'}.`,
        {
          variant: 'other',
          fix: values,
          details,
        },
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
  const variants: Array<'service' | 'region' | 'regionFromHost' | 'other'> = [];
  const expectService =
    d.expectedService ?? (t.hostService && t.hostService !== t.service ? t.hostService : undefined);
  if (expectService && expectService !== t.service) {
    problems.push(
      `signed for service "${t.service}" (${t.serviceSource === 'flag' ? '--opensearch-service' : t.serviceSource === 'host' ? 'from the host name' : 'default'}) but the endpoint expects "${expectService}"`,
    );
    variants.push('service');
  }
  const expectRegion = t.hostRegion && t.hostRegion !== t.region ? t.hostRegion : undefined;
  if (d.wrongRegion || expectRegion) {
    problems.push(
      `signed for region "${d.wrongRegion ?? t.region}" (${t.regionSource === 'host' ? 'from the host name' : '--region / AWS_REGION'})${expectRegion ? ` but the host name says "${expectRegion}"` : ", which is not the endpoint's region"}`,
    );
    variants.push(expectRegion ? 'regionFromHost' : 'region');
  }
  if (problems.length === 0) {
    problems.push(`the signature does not match (signed for ${t.service} in ${t.region})`);
    variants.push('other');
  }
  return finding(
    'OS-SIGNATURE',
    `OpenSearch ${t.url} rejected the SigV4 signature (HTTP ${status}): ${problems.join('; ')}.`,
    {
      variant: variants,
      fix: {
        expectedService: expectService,
        serviceKind: expectService === 'aoss' ? 'Serverless collections' : 'managed domains',
        expectedRegion: expectRegion,
      },
      details: {
        ...details,
        signedService: t.service,
        signedRegion: t.region,
        expectedService: expectService,
        wrongRegion: d.wrongRegion,
      },
    },
  );
}
