import { parseRoleArn } from '../../lib/arn.js';
import { parseAssumedRoleArn, roleNameMatches } from '../../lib/assumed-role-arn.js';
import { redact } from '../../lib/redact.js';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { Check } from '../check.js';
import { withPath } from '../net/path-findings.js';
import { podFacts } from '../token/pod-facts.js';
import { describeStsError } from './classify-sts-error.js';
import { type CallerIdentity, getCallerIdentity, webIdentity } from './web-identity.js';

/**
 * GetCallerIdentity signed with the web identity credentials: proves they work for a signed call and
 * names the role. Compares partition, account and role NAME with AWS_ROLE_ARN, because assumed-role
 * ARNs drop the role path (role/team/app is assumed-role/app/SESSION).
 */
export const callerIdentityCheck: Check = {
  id: 'identity',
  title: 'Caller identity of the web identity credentials',
  async run(ctx) {
    const r = await webIdentity(ctx);
    if (r.status !== 'ok')
      return [finding('IDENTITY-SKIPPED', 'No web identity credentials to identify; see the sts check.')];
    const who = await getCallerIdentity(ctx, r.credentials, 'sts:GetCallerIdentity');
    const findings = await judge(ctx, r, who);
    return who.path ? withPath(findings, who.path.route) : findings;
  },
};

/** What GetCallerIdentity said about the credentials, compared with AWS_ROLE_ARN. */
async function judge(
  ctx: Parameters<Check['run']>[0],
  r: Extract<Awaited<ReturnType<typeof webIdentity>>, { status: 'ok' }>,
  who: CallerIdentity,
): Promise<Finding[]> {
  if (!who.ok) {
    const said = redact(describeStsError(who.error));
    return [
      finding('IDENTITY-ERROR', `GetCallerIdentity with the web identity credentials failed: ${said}.`, {
        variant: who.classification.cause === 'STS-UNREACHABLE' ? 'unreachable' : 'refused',
        fix: { endpoint: r.call.endpoint, said },
        details: {
          stsError: who.error.code ?? who.error.errno ?? who.error.name,
          httpStatus: who.error.httpStatus,
        },
      }),
    ];
  }
  const expected = r.call.roleArn.trim();
  const parsed = parseRoleArn(expected);
  const assumed = parseAssumedRoleArn(who.arn);
  const details = {
    callerArn: who.arn,
    account: who.account,
    userId: who.userId,
    expectedRoleArn: expected,
    ...(parsed.ok ? { expectedRoleName: parsed.arn.name, expectedAccount: parsed.arn.account } : {}),
  };
  if (roleNameMatches(expected, who.arn))
    return [
      finding('IDENTITY-OK', `STS credentials act as ${who.arn}, the role in AWS_ROLE_ARN.`, { details }),
    ];
  const actual = assumed ? `role ${assumed.roleName} in account ${assumed.account}` : who.arn;
  const want = parsed.ok ? `role ${parsed.arn.name} in account ${parsed.arn.account}` : expected;
  const pod = await podFacts(ctx);
  return [
    finding(
      'IDENTITY-MISMATCH',
      `The web identity credentials act as ${actual} (${who.arn}), not ${want} from AWS_ROLE_ARN.`,
      {
        variant: r.call.endpointSource === 'regional default' ? 'regional' : 'redirected',
        fix: {
          endpoint: r.call.endpoint,
          endpointSource: r.call.endpointSource,
          namespace: pod.namespace,
          serviceAccount: pod.serviceAccount,
        },
        details,
      },
    ),
  ];
}
