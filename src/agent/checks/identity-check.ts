import { parseRoleArn } from '../../lib/arn.js';
import { parseAssumedRoleArn, roleNameMatches } from '../../lib/assumed-role-arn.js';
import { redact } from '../../lib/redact.js';
import { fail, pass, skip } from '../../report/finding.js';
import type { Check } from '../check.js';
import { getCallerIdentity, webIdentity } from '../facts/web-identity.js';
import { describeStsError } from '../sts/classify-sts-error.js';

/**
 * GetCallerIdentity signed with the web identity credentials: proves they work for a signed call and
 * names the role. Compares partition, account and role NAME with AWS_ROLE_ARN, because assumed-role
 * ARNs drop the role path (role/team/app is assumed-role/app/SESSION).
 */
export const identityCheck: Check = {
  id: 'identity',
  title: 'Caller identity of the web identity credentials',
  async run(ctx) {
    const r = await webIdentity(ctx);
    if (r.status !== 'ok')
      return [skip('IDENTITY-SKIPPED', 'No web identity credentials to identify; see the sts check.')];
    const who = await getCallerIdentity(ctx, r.credentials, 'sts:GetCallerIdentity');
    if (!who.ok) {
      const said = redact(describeStsError(who.error));
      return [
        fail(
          'IDENTITY-ERROR',
          `GetCallerIdentity with the web identity credentials failed: ${said}.`,
          who.classification.cause === 'STS-UNREACHABLE'
            ? `Allow egress from the pod to the STS endpoint ${r.call.endpoint} (NetworkPolicy, security group, NO_PROXY).`
            : `Act on the STS error (${said}); a SignatureDoesNotMatch or "Signature expired" means the node clock is off: fix NTP/chrony on the node.`,
          { stsError: who.error.code ?? who.error.errno ?? who.error.name, httpStatus: who.error.httpStatus },
        ),
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
    ctx.facts.roleArn ??= expected;
    if (roleNameMatches(expected, who.arn))
      return [pass('IDENTITY-OK', `STS credentials act as ${who.arn}, the role in AWS_ROLE_ARN.`, details)];
    const actual = assumed ? `role ${assumed.roleName} in account ${assumed.account}` : who.arn;
    const want = parsed.ok ? `role ${parsed.arn.name} in account ${parsed.arn.account}` : expected;
    return [
      fail(
        'IDENTITY-MISMATCH',
        `The web identity credentials act as ${actual} (${who.arn}), not ${want} from AWS_ROLE_ARN.`,
        `STS at ${r.call.endpoint} (${r.call.endpointSource}) answered for another identity: ${
          r.call.endpointSource === 'regional default'
            ? 'check for an HTTPS proxy answering for STS,'
            : `unset or correct ${r.call.endpointSource},`
        } and set the ServiceAccount annotation eks.amazonaws.com/role-arn to the role the application needs (kubectl annotate sa SERVICE_ACCOUNT -n NAMESPACE eks.amazonaws.com/role-arn=ROLE_ARN --overwrite), then restart the pod.`,
        details,
      ),
    ];
  },
};
