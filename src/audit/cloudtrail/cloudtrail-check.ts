import { classifyStsError } from '../../agent/sts/classify-sts-error.js';
import { issuerHostOf } from '../../aws/trust-policy.js';
import { redact } from '../../lib/redact.js';
import { finding } from '../../report/finding.js';
import type { AuditCheck } from '../audit-check.js';
import { eksCluster } from '../cluster/eks-cluster.js';
import { awsFailureFinding } from '../failure-findings.js';
import { workloadIdentity } from '../serviceaccount/workload-identity.js';
import { summariseExchanges } from './exchange-summary.js';
import { webIdentityEvents } from './web-identity-events.js';

/** What STS already refused this ServiceAccount's pods, as CloudTrail recorded it. */
export const cloudTrailCheck: AuditCheck = {
  id: 'audit-cloudtrail',
  title: 'CloudTrail: web identity exchanges STS refused',
  async run(ctx) {
    const id = await workloadIdentity(ctx);
    if (!id.known) return [];
    const [trail, cluster] = await Promise.all([webIdentityEvents(ctx), eksCluster(ctx)]);
    const subject = `system:serviceaccount:${ctx.namespace}:${ctx.serviceAccount}`;
    if (!trail.ok) return [awsFailureFinding(trail, `CloudTrail's record of the exchanges of ${subject}`)];
    const hours = ctx.sweep.options.cloudTrailHours;
    const issuerHost = cluster.state === 'found' && cluster.issuer ? issuerHostOf(cluster.issuer) : undefined;
    const s = summariseExchanges(trail.value.events, subject, issuerHost);
    const scope = `in ${ctx.sweep.aws.region} over the last ${hours} h`;
    const truncated = trail.value.truncated
      ? ` Only the newest ${trail.value.events.length} exchanges of the account were read; older ones were not.`
      : '';
    const details = {
      subject,
      region: ctx.sweep.aws.region,
      since: trail.value.since.toISOString(),
      exchanges: s.exchanges,
      failures: s.failures,
      ...(s.newestSuccess ? { newestSuccess: s.newestSuccess.toISOString() } : {}),
      ...(s.otherIssuers ? { sameSubjectOtherIssuers: s.otherIssuers } : {}),
      ...(trail.value.truncated ? { truncated: true, eventsRead: trail.value.events.length } : {}),
    };
    const newest = s.newestFailure;
    if (!newest)
      return [
        finding(
          'CLOUDTRAIL-OK',
          `CloudTrail holds no refused AssumeRoleWithWebIdentity by ${subject} ${scope} (${s.exchanges} granted; the last minutes may not be delivered yet).${truncated}`,
          { details },
        ),
      ];
    const message = newest.message ? redact(newest.message).slice(0, 500) : undefined;
    const cause = classifyStsError({
      name: newest.code,
      code: newest.code,
      message: message ?? '',
    }).cause;
    const codes = s.codes.map((g) => `${g.code} x${g.count} (newest ${g.newest.toISOString()})`).join(', ');
    const fixedSince =
      s.grantedSinceNewestFailure && s.newestSuccess
        ? ` A later exchange (${s.newestSuccess.toISOString()}) was granted, so this may be fixed already.`
        : '';
    return [
      finding(
        'CLOUDTRAIL-FAILURES',
        `STS refused ${s.failures} of ${s.exchanges} AssumeRoleWithWebIdentity call(s) by ${subject} ${scope}: ${codes}. The newest (${newest.time.toISOString()}${newest.roleArn ? `, role ${newest.roleArn}` : ''}) said: ${message ?? newest.code}.${fixedSince}${truncated}`,
        {
          fix: {
            newest: `${newest.code}${message ? `: ${message}` : ''}`,
            namespace: ctx.namespace,
            serviceAccount: ctx.serviceAccount,
          },
          details: {
            ...details,
            codes: s.codes.map((g) => ({ ...g, newest: g.newest.toISOString() })),
            newest: {
              time: newest.time.toISOString(),
              code: newest.code,
              ...(message ? { message } : {}),
              ...(newest.roleArn ? { roleArn: newest.roleArn } : {}),
              cause,
            },
          },
        },
      ),
    ];
  },
};
