// One --opensearch endpoint: the domain behind it (OS-DOMAIN-NOT-FOUND), its fine-grained access control,
// and whether the role gets in, judged as OpenSearch Service does: the domain access policy (our
// evaluator) together with the role's identity policies (IAM's SimulatePrincipalPolicy).
import { parsePolicyDocument } from '../../aws/policy/policy-document.js';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { AuditContext } from '../audit-context.js';
import type { AwsFailure } from '../aws/aws-result.js';
import { awsFailureFinding } from '../failure-findings.js';
import { type DomainPolicyVerdict, judgeDomainPolicy, type Say } from './domain-policy-verdict.js';
import { type OpenSearchDomain, openSearchDomains, openSearchHost } from './opensearch-domains.js';
import type { PermissionRole } from './permission-role.js';
import { type AccessOutcome, possibleOutcomes } from './policy-collision.js';
import { policyName } from './postgres-permission.js';
import { describeStatements, type SimulatedDecision, simulateRole } from './simulate-role.js';
import { nameStatements } from './statement-names.js';

/** What a search application does over HTTP: read, index and search. */
export const OPENSEARCH_ACTIONS = ['es:ESHttpGet', 'es:ESHttpPost', 'es:ESHttpPut'] as const;

type Verdict = AccessOutcome | 'conditional' | 'identity-unknown';

interface ActionJudgement {
  action: string;
  domain: DomainPolicyVerdict;
  identity?: SimulatedDecision;
  verdict: Verdict;
}

export async function openSearchFindings(
  ctx: AuditContext,
  raw: string,
  role: PermissionRole,
): Promise<Finding[]> {
  const { region } = ctx.sweep.aws;
  const host = openSearchHost(raw);
  if (!host)
    return [
      finding('OS-DOMAIN-NOT-FOUND', `--opensearch ${JSON.stringify(raw)} is not a URL or host name.`, {
        fix: { region },
        details: { endpoint: raw },
      }),
    ];
  const domains = await openSearchDomains(ctx);
  if (!domains.ok) return [awsFailureFinding(domains, `which OpenSearch domain serves ${host}`)];
  const d = domains.value.find((x) => !x.deleted && x.hosts.includes(host));
  if (!d)
    return [
      finding(
        'OS-DOMAIN-NOT-FOUND',
        `No OpenSearch domain in ${region} has the endpoint ${host} (public, VPC or custom; ${domains.value.length} domain${domains.value.length === 1 ? '' : 's'} looked at).`,
        { fix: { region }, details: { endpoint: host, region, domains: domains.value.map((x) => x.name) } },
      ),
    ];
  const out: Finding[] = [fgacFinding(d, role)];
  if (role.state === 'none') return out;

  const policy = parsePolicyDocument(d.accessPolicies.trim() === '' ? { Statement: [] } : d.accessPolicies);
  if (!policy.ok)
    return [
      ...out,
      finding('AUDIT-AWS-ERROR', `The access policy of domain ${d.name} cannot be read: ${policy.problem}.`, {
        fix: { action: 'es:DescribeDomains', said: policy.problem },
      }),
    ];
  const resource = `${d.arn}/*`;
  const roleArn = role.arn.arn;
  const sameAccount = d.account === role.arn.account;
  let failure: AwsFailure | undefined;
  let decisions: SimulatedDecision[] = [];
  if (role.state === 'ready') {
    const sim = await simulateRole(ctx, { roleArn, actions: [...OPENSEARCH_ACTIONS], resources: [resource] });
    if (!sim.ok && sim.kind === 'not-found')
      return [
        ...out,
        finding(
          'PERMISSIONS-SKIPPED',
          `Access to domain ${d.name} was not judged: IAM says role ${roleArn} does not exist (see audit-trust).`,
          { details: { roleArn, code: sim.code } },
        ),
      ];
    if (sim.ok) decisions = sim.value;
    else failure = sim;
  }
  const secureTransport = !/^http:\/\//i.test(raw.trim());
  const judged: ActionJudgement[] = OPENSEARCH_ACTIONS.map((action) => {
    const domain = judgeDomainPolicy(policy.policy, { roleArn, action, resource, secureTransport });
    const identity = decisions.find((x) => x.action.toLowerCase() === action.toLowerCase());
    const outcomes = possibleOutcomes(
      domain.possible,
      identity ? identitySays(identity) : ['allow', 'deny', 'silent'],
      sameAccount,
    );
    const verdict: Verdict =
      outcomes.length === 1 ? outcomes[0]! : identity ? 'conditional' : 'identity-unknown';
    return { action, domain, ...(identity ? { identity } : {}), verdict };
  });

  const details = {
    domain: d.name,
    domainArn: d.arn,
    roleArn,
    roleSource: role.source,
    resource,
    sameAccount,
    actions: judged.map((j) => ({
      action: j.action,
      verdict: j.verdict,
      domainPolicy: j.domain.possible.length === 1 ? j.domain.possible[0] : j.domain.possible,
      ...(j.domain.allowStatement ? { domainAllowStatement: j.domain.allowStatement } : {}),
      ...(j.domain.denyStatement ? { domainDenyStatement: j.domain.denyStatement } : {}),
      ...(j.identity
        ? {
            identityDecision: j.identity.decision,
            matchedStatements: j.identity.matchedStatements,
            ...(j.identity.missingContext.length ? { missingContextValues: j.identity.missingContext } : {}),
          }
        : {}),
    })),
  };
  const base = { domainName: d.name, region, roleArn, roleName: role.arn.name };
  const groups = new Map<Verdict, ActionJudgement[]>();
  for (const j of judged) groups.set(j.verdict, [...(groups.get(j.verdict) ?? []), j]);
  if (groups.size === 1 && groups.has('ok')) {
    const j = judged[0]!;
    const own = `the role's own policies (${describeStatements(j.identity?.matchedStatements ?? [])})`;
    const by = j.domain.possible.includes('allow')
      ? `the domain access policy (${j.domain.allowStatement})${sameAccount ? '' : `, and by ${own}`}`
      : j.domain.possible.includes('delegate')
        ? `${own}, to which the domain access policy's grant to the account (${j.domain.allowStatement}) defers`
        : own;
    return [
      ...out,
      finding(
        'OS-DOMAIN-OK',
        `Domain ${d.name} lets role ${role.arn.name} call ${OPENSEARCH_ACTIONS.join(', ')}: allowed by ${by}.`,
        { details },
      ),
    ];
  }
  const names = (list: ActionJudgement[]) => list.map((j) => j.action).join(', ');
  for (const [verdict, list] of groups) {
    const first = list[0]!;
    switch (verdict) {
      case 'ok':
        break;
      case 'domain-deny':
        out.push(
          finding(
            'OS-DOMAIN-POLICY-DENIES',
            `The access policy of domain ${d.name} denies role ${role.arn.name} ${names(list)} explicitly (${first.domain.denyStatement}); an explicit Deny wins over any Allow.`,
            { variant: 'deny', fix: { ...base, statementRef: first.domain.denyStatement }, details },
          ),
        );
        break;
      case 'domain-silent':
        out.push(
          finding(
            'OS-DOMAIN-POLICY-DENIES',
            sameAccount
              ? `Neither the access policy of domain ${d.name} nor the policies of role ${role.arn.name} allow ${names(list)} on ${resource}.`
              : `The access policy of domain ${d.name} (account ${d.account}) does not allow role ${role.arn.name} (account ${role.arn.account}) ${names(list)}; across accounts the domain policy must allow it, whatever the role's own policies say.`,
            {
              variant: 'allow',
              fix: {
                ...base,
                statement: JSON.stringify({
                  Effect: 'Allow',
                  Principal: { AWS: roleArn },
                  Action: 'es:ESHttp*',
                  Resource: resource,
                }),
              },
              details,
            },
          ),
        );
        break;
      case 'identity-deny':
      case 'identity-silent': {
        const denied = list.find((j) => j.identity?.decision === 'explicitDeny') ?? first;
        const named =
          verdict === 'identity-deny'
            ? await nameStatements(ctx, role.arn, denied.identity?.matchedStatements ?? [], {
                action: denied.action,
                resource,
                effect: 'Deny',
              })
            : (denied.identity?.matchedStatements ?? []);
        const variant =
          verdict === 'identity-deny'
            ? 'deny'
            : denied.identity?.allowedByBoundary === false
              ? 'boundary'
              : 'allow';
        out.push(
          finding(
            'IAM-PERMISSION-DENIED',
            verdict === 'identity-deny'
              ? `The policies of role ${role.arn.name} deny ${names(list)} on domain ${d.name} explicitly (${describeStatements(named)}).`
              : `The policies of role ${role.arn.name} do not allow ${names(list)} on domain ${d.name}${variant === 'boundary' ? ' (its permissions boundary does not)' : ''}, and ${sameAccount ? `the domain access policy grants only the account (${first.domain.allowStatement}), which defers to them` : `across accounts (role in ${role.arn.account}, domain in ${d.account}) the role's own policy must allow even though the domain policy does`}.`,
            {
              variant,
              fix: {
                ...base,
                action: list.map((j) => j.action).join(' '),
                resource,
                policyName: policyName(`opensearch-${d.name}`),
                policyDocument: JSON.stringify({
                  Version: '2012-10-17',
                  Statement: [{ Effect: 'Allow', Action: 'es:ESHttp*', Resource: resource }],
                }),
                statements: describeStatements(named),
              },
              details,
            },
          ),
        );
        break;
      }
      case 'conditional': {
        const keys = [
          ...new Set(list.flatMap((j) => [...j.domain.unknownKeys, ...(j.identity?.missingContext ?? [])])),
        ];
        const where = [
          list.some((j) => j.domain.unknownKeys.length > 0) ? `the access policy of domain ${d.name}` : '',
          list.some((j) => j.identity?.missingContext.length) ? `the policies of role ${role.arn.name}` : '',
        ]
          .filter(Boolean)
          .join(' and ');
        out.push(
          finding(
            'IAM-PERMISSION-CONDITIONAL',
            `Whether role ${role.arn.name} may call ${names(list)} on domain ${d.name} depends on ${keys.join(', ')} in ${where}, which only the pod's real request carries.`,
            {
              fix: {
                keys: keys.join(', '),
                where,
                namespace: ctx.namespace,
                serviceAccount: ctx.serviceAccount,
              },
              details,
            },
          ),
        );
        break;
      }
      case 'identity-unknown': {
        const domainSays = first.domain.possible.includes('allow')
          ? 'the domain access policy allows it'
          : first.domain.possible.includes('delegate')
            ? "the domain access policy grants the role's account"
            : 'the domain access policy alone does not decide it';
        if (role.state === 'other-account')
          out.push(
            finding(
              'IAM-ROLE-OTHER-ACCOUNT',
              `${names(list)} on domain ${d.name}: ${domainSays}, but the policies of role ${roleArn} (account ${role.arn.account}) decide too and these credentials (account ${role.operatorAccount}) cannot simulate them.`,
              { fix: { account: role.arn.account }, details },
            ),
          );
        else if (failure)
          out.push(
            awsFailureFinding(
              failure,
              `${names(list)} of role ${role.arn.name} on domain ${d.name} (${domainSays})`,
            ),
          );
        break;
      }
    }
  }
  return out;
}

/** What the role's identity policies may say, from IAM's simulation. */
function identitySays(d: SimulatedDecision): Say[] {
  if (d.decision === 'allowed') return ['allow'];
  if (d.decision === 'explicitDeny') return ['deny'];
  // An implicit deny that lacked condition keys could be an allow in the real request.
  return d.missingContext.length > 0 ? ['allow', 'silent'] : ['silent'];
}

function fgacFinding(d: OpenSearchDomain, role: PermissionRole): Finding {
  const who = role.state === 'none' ? "the ServiceAccount's role" : `role ${role.arn.name}`;
  const { enabled, internalUserDatabase, anonymousAuth } = d.fgac;
  const message = !enabled
    ? `Fine-grained access control is off on domain ${d.name}: the access policy and IAM alone decide what ${who} may do.`
    : internalUserDatabase
      ? `Fine-grained access control is on for domain ${d.name} with the internal user database, so its master user is an internal user, not ${who}: ${who} needs a role mapping (backend role ${role.state === 'none' ? 'ROLE_ARN' : role.arn.arn}), which the agent's OS-FGAC-* findings prove from inside a pod.`
      : `Fine-grained access control is on for domain ${d.name} with an IAM master user; the configuration API does not return the master user's ARN, so whether it is ${who} is not known from here. Unless it is, ${who} needs a role mapping, which the agent's OS-FGAC-* findings prove from inside a pod.`;
  return finding('OS-DOMAIN-FGAC', message, {
    details: {
      domain: d.name,
      fineGrainedAccessControl: enabled,
      ...(enabled
        ? {
            internalUserDatabase,
            anonymousAuth,
            masterUser: internalUserDatabase ? 'internal user' : 'IAM ARN (not returned by the API)',
            roleIsMasterUser: internalUserDatabase ? false : 'unknown',
          }
        : {}),
    },
  });
}
