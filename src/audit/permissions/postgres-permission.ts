// One --postgres endpoint: the resource behind it (RDS-TARGET / RDS-NOT-FOUND), its IAM authentication
// setting, and IAM's verdict on rds-db:connect for the role on exactly that resource and database user.
import { rdsConnectPolicyDocument, rdsDbResourceArn } from '../../aws/rds-db-resource.js';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { AuditContext } from '../audit-context.js';
import type { AwsFailure } from '../aws/aws-result.js';
import { awsFailureFinding } from '../failure-findings.js';
import type { PermissionRole } from './permission-role.js';
import { findRdsTarget, parsePostgresEndpoint, type RdsTarget } from './rds-endpoint.js';
import { rdsClusters, rdsInstances, rdsProxies } from './rds-inventory.js';
import { describeStatements, simulateRole } from './simulate-role.js';
import { nameStatements } from './statement-names.js';

const ACTION = 'rds-db:connect';

const KIND: Record<RdsTarget['via'], string> = {
  writer: 'writer endpoint of Aurora cluster',
  reader: 'reader endpoint of Aurora cluster',
  custom: 'custom endpoint of Aurora cluster',
  instance: 'instance endpoint',
  proxy: 'endpoint of RDS Proxy',
};

export async function postgresFindings(
  ctx: AuditContext,
  raw: string,
  user: string,
  role: PermissionRole,
): Promise<Finding[]> {
  const { region, partition } = ctx.sweep.aws;
  const parsed = parsePostgresEndpoint(raw);
  if (!parsed.ok)
    return [
      finding('RDS-NOT-FOUND', `--postgres ${parsed.problem}.`, {
        fix: { region },
        details: { endpoint: raw },
      }),
    ];
  const ep = parsed.endpoint;
  const shown = ep.port ? `${ep.host}:${ep.port}` : ep.host;
  const [clusters, instances, proxies] = await Promise.all([
    rdsClusters(ctx),
    rdsInstances(ctx),
    rdsProxies(ctx),
  ]);
  const match = findRdsTarget(ep, {
    ...(clusters.ok ? { clusters: clusters.value } : {}),
    ...(instances.ok ? { instances: instances.value } : {}),
    ...(proxies.ok ? { proxies: proxies.value } : {}),
  });
  if (match.state === 'needs-clusters' && !clusters.ok)
    return [awsFailureFinding(clusters, `the Aurora cluster of instance ${match.instance} (${shown})`)];
  if (match.state === 'none' || match.state === 'needs-clusters') {
    const failed = [clusters, instances, proxies].filter((r): r is AwsFailure => !r.ok);
    // Without every list, "no such endpoint" could be wrong: say which read is missing instead.
    if (failed.length > 0) return failed.map((f) => awsFailureFinding(f, `which database serves ${shown}`));
    return [
      finding(
        'RDS-NOT-FOUND',
        `No Aurora cluster endpoint, RDS instance or RDS Proxy in ${region} has the host ${ep.host}.`,
        { fix: { region }, details: { endpoint: shown, region } },
      ),
    ];
  }
  const t = match.target;
  if (match.state === 'other-port')
    return [
      finding(
        'RDS-NOT-FOUND',
        `${ep.host} is the ${KIND[t.via]} ${t.identifier}, but it listens on port ${t.port}, not ${ep.port}.`,
        { fix: { region }, details: { endpoint: shown, identifier: t.identifier, port: t.port } },
      ),
    ];

  const what = `${KIND[t.via]} ${t.via === 'instance' && t.instance ? `${t.instance} (Aurora cluster ${t.identifier})` : t.identifier}`;
  const out: Finding[] = [
    finding(
      'RDS-TARGET',
      `${shown} is the ${what}; rds-db:connect must name its resource id ${t.resourceId}; IAM authentication is ${t.iamAuth ? 'enabled' : 'disabled'}.`,
      {
        details: {
          endpoint: shown,
          kind: t.kind,
          endpointType: t.via,
          identifier: t.identifier,
          ...(t.instance ? { instance: t.instance } : {}),
          resourceId: t.resourceId,
          iamAuth: t.iamAuth,
          ...(t.port ? { port: t.port } : {}),
          ...(t.engine ? { engine: t.engine } : {}),
        },
      },
    ),
  ];
  if (!t.iamAuth)
    out.push(
      finding(
        'RDS-IAM-AUTH-DISABLED',
        t.kind === 'proxy'
          ? `RDS Proxy ${t.identifier} does not accept IAM authentication from clients (no Auth entry with IAMAuth REQUIRED or ENABLED), so every IAM token is refused.`
          : `IAM database authentication is disabled on ${t.kind === 'cluster' ? 'Aurora cluster' : 'RDS instance'} ${t.identifier}, so every IAM token is refused ("PAM authentication failed").`,
        {
          variant: t.kind,
          fix: { identifier: t.identifier, region, secretArn: t.secretArn },
          details: { identifier: t.identifier, kind: t.kind },
        },
      ),
    );
  if (role.state === 'other-account')
    return [
      ...out,
      finding(
        'IAM-ROLE-OTHER-ACCOUNT',
        `rds-db:connect of role ${role.arn.arn} (account ${role.arn.account}) was not simulated: these credentials are of account ${role.operatorAccount}, and IAM answers only for its own account.`,
        {
          fix: { account: role.arn.account },
          details: { roleArn: role.arn.arn, operatorAccount: role.operatorAccount },
        },
      ),
    ];
  if (role.state !== 'ready') return out;

  const account = t.arn?.split(':')[4] || role.arn.account;
  const resource = rdsDbResourceArn({ partition, region, account, resourceId: t.resourceId, user });
  // The same grant on the identifier instead of the resource id: a classic that IAM never matches.
  const byName = rdsDbResourceArn({ partition, region, account, resourceId: t.identifier, user });
  const sim = await simulateRole(ctx, {
    roleArn: role.arn.arn,
    actions: [ACTION],
    resources: [resource, byName],
  });
  if (!sim.ok) {
    if (sim.kind === 'not-found')
      return [
        ...out,
        finding(
          'PERMISSIONS-SKIPPED',
          `rds-db:connect was not simulated: IAM says role ${role.arn.arn} does not exist (see audit-trust).`,
          { details: { roleArn: role.arn.arn, code: sim.code } },
        ),
      ];
    return [...out, awsFailureFinding(sim, `${ACTION} of role ${role.arn.name} on ${resource}`)];
  }
  const d = sim.value.find((x) => x.resource === resource) ?? sim.value[0];
  const namedAllowed = sim.value.some((x) => x.resource === byName && x.decision === 'allowed');
  if (!d)
    return [
      ...out,
      finding('AUDIT-AWS-ERROR', 'iam:SimulatePrincipalPolicy returned no result for rds-db:connect.', {
        fix: { action: 'iam:SimulatePrincipalPolicy', said: 'no EvaluationResults' },
      }),
    ];
  const details = {
    roleArn: role.arn.arn,
    roleSource: role.source,
    action: ACTION,
    resource,
    decision: d.decision,
    matchedStatements: d.matchedStatements,
    ...(d.missingContext.length ? { missingContextValues: d.missingContext } : {}),
    ...(d.allowedByBoundary !== undefined ? { allowedByPermissionsBoundary: d.allowedByBoundary } : {}),
  };
  const fix = {
    roleArn: role.arn.arn,
    roleName: role.arn.name,
    action: ACTION,
    resource,
    policyName: policyName(`rds-connect-${t.identifier}-${user}`),
    policyDocument: rdsConnectPolicyDocument(resource),
    statements: describeStatements(d.matchedStatements),
  };
  const who = `Role ${role.arn.name}`;
  if (d.decision === 'allowed')
    return [
      ...out,
      finding(
        'IAM-PERMISSION-OK',
        `${who} may ${ACTION} as ${user} on ${t.identifier} (${resource}), allowed by ${describeStatements(d.matchedStatements) || 'its policies'}.`,
        { details },
      ),
    ];
  if (d.decision === 'explicitDeny') {
    const named = await nameStatements(ctx, role.arn, d.matchedStatements, {
      action: ACTION,
      resource,
      effect: 'Deny',
    });
    return [
      ...out,
      finding(
        'IAM-PERMISSION-DENIED',
        `${who} is explicitly denied ${ACTION} as ${user} on ${t.identifier} (${resource}) by ${describeStatements(named)}.`,
        {
          variant: 'deny',
          fix: { ...fix, statements: describeStatements(named) },
          details: { ...details, matchedStatements: named },
        },
      ),
    ];
  }
  if (d.missingContext.length > 0)
    return [
      ...out,
      finding(
        'IAM-PERMISSION-CONDITIONAL',
        `Whether ${who} may ${ACTION} as ${user} on ${t.identifier} depends on ${d.missingContext.join(', ')}, which only the pod's real request carries.`,
        {
          fix: {
            keys: d.missingContext.join(', '),
            where: `the policies of role ${role.arn.name}`,
            namespace: ctx.namespace,
            serviceAccount: ctx.serviceAccount,
          },
          details,
        },
      ),
    ];
  const hint = namedAllowed
    ? `: a policy grants it on dbuser:${t.identifier}/${user}, the ${t.kind === 'proxy' ? 'proxy' : t.kind} name, but RDS checks the resource id ${t.resourceId}`
    : `: no statement names dbuser:${t.resourceId}/${user} (the resource id and this database user)`;
  return [
    ...out,
    finding(
      'IAM-PERMISSION-DENIED',
      `${who} may not ${ACTION} as ${user} on ${t.identifier} (${resource})${d.allowedByBoundary === false ? ': its permissions boundary does not allow it' : hint}.`,
      {
        variant: d.allowedByBoundary === false ? 'boundary' : 'allow',
        fix,
        details: { ...details, ...(namedAllowed ? { grantedOnName: byName } : {}) },
      },
    ),
  ];
}

/** An inline policy name IAM accepts: [\w+=,.@-], at most 128 characters. */
export function policyName(s: string): string {
  return s.replace(/[^\w+=,.@-]/g, '-').slice(0, 128);
}
