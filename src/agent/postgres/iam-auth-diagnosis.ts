import { parseRoleArn } from '../../lib/arn.js';
import { parseAssumedRoleArn } from '../../lib/assumed-role-arn.js';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { ClusterLookup } from './describe-rds-cluster.js';
import type { LoginFacts } from './login-findings.js';
import type { RdsHostInfo } from './parse-postgres-target.js';
import {
  describeClusterCommand,
  quoteIdent,
  rdsConnectStatement,
  rdsDbResourceArn,
} from './rds-db-resource.js';

export type CauseStatus = 'confirmed' | 'likely' | 'possible' | 'ruled-out';

export interface CauseItem {
  cause:
    | 'signed-by-node-role'
    | 'iam-auth-disabled'
    | 'policy-missing'
    | 'resource-is-cluster-name'
    | 'resource-user-differs'
    | 'user-lacks-rds-iam'
    | 'token-host-port-region'
    | 'token-expired';
  status: CauseStatus;
  note: string;
}

/** The login's facts but TLS (no part of why RDS refused the token), and what was looked up since. */
export interface IamAuthFailureInput extends Omit<LoginFacts, 'tlsVerified'> {
  hostInfo?: RdsHostInfo;
  /** The RDS endpoint name the host is a CNAME of, when DNS says so. */
  cnameTarget?: string;
  /** The pod's role ARN (facts.roleArn / AWS_ROLE_ARN): names the account when STS did not answer. */
  podRoleArn?: string;
  cluster: ClusterLookup;
  /** Server message as received, e.g. `PAM authentication failed for user "zeebe"`. */
  serverMessage: string;
  /** SQLSTATE the message came with; RDS sends 28000. */
  sqlstate?: string;
  /** Time from signing the token to the server's answer. */
  tokenAgeMs: number;
}

/**
 * RDS answers every IAM rejection with the same PAM text, so the finding is a checklist in the
 * order REFERENCE section 8 gives, each item marked with what this run could confirm or rule out.
 */
export function iamAuthFailure(i: IamAuthFailureInput): Finding {
  const items = iamAuthChecklist(i);
  const facts = i.cluster.ok ? i.cluster.facts : undefined;
  const podRole = i.podRoleArn ? parseRoleArn(i.podRoleArn) : undefined;
  const podArn = podRole?.ok ? podRole.arn : undefined;
  const partition = i.hostInfo?.partition ?? partitionOf(i.signer.callerArn) ?? podArn?.partition ?? 'aws';
  const resource = rdsDbResourceArn({
    partition,
    region: i.region,
    // GetCallerIdentity may have failed; the role ARN the pod was given still names the account.
    account: i.signer.account ?? podArn?.account,
    resourceId: facts?.resourceId,
    user: i.user,
  });
  const role = i.signer.callerArn
    ? (parseAssumedRoleArn(i.signer.callerArn)?.roleName ?? i.signer.callerArn)
    : undefined;
  const confirmed = items.find((c) => c.status === 'confirmed');
  const open = items.filter((c) => c.status !== 'ruled-out');
  const message =
    `${i.host}:${i.port} refused the IAM token for "${i.user}": FATAL ${i.sqlstate ?? '28000'} ${i.serverMessage}. ` +
    (confirmed
      ? `Cause: ${confirmed.note}`
      : `RDS gives this one answer for every IAM failure; ${open.length} possible causes remain, in order: ${open.map((c) => c.cause).join(', ')} (details.checklist).`);
  const command = describeClusterCommand(
    facts?.identifier ?? clusterIdOf(i.hostInfo),
    i.region,
    facts?.kind ?? (i.hostInfo?.kind === 'instance' ? 'instance' : 'cluster'),
  );
  type Step =
    | 'enableIamAuth'
    | 'checkCluster'
    | 'allowConnect'
    | 'allowConnectUnknownResource'
    | 'grantRdsIam'
    | 'signForEndpoint'
    | 'nodeRole';
  const steps: Step[] = [
    ...(facts?.iamAuthEnabled === false
      ? ['enableIamAuth' as const]
      : facts
        ? []
        : ['checkCluster' as const]),
    facts?.resourceId ? 'allowConnect' : 'allowConnectUnknownResource',
    'grantRdsIam',
    ...(items.find((c) => c.cause === 'token-host-port-region')?.status === 'likely'
      ? ['signForEndpoint' as const]
      : []),
    ...(i.signer.isNodeRole ? ['nodeRole' as const] : []),
  ];
  return finding('PG-IAM-AUTH-FAILED', message, {
    variant: steps,
    fix: {
      clusterId: facts?.identifier,
      describeCommand: command,
      roleName: role,
      statement: rdsConnectStatement(resource),
      quotedUser: quoteIdent(i.user),
      endpoint: facts?.endpoints[0],
      port: facts?.port ?? i.port,
      region: facts ? i.region : undefined,
    },
    details: {
      host: i.host,
      port: i.port,
      user: i.user,
      database: i.database,
      region: i.region,
      regionSource: i.regionSource,
      signedBy: { source: i.signer.source, arn: i.signer.callerArn, nodeRole: i.signer.isNodeRole },
      policyResource: resource,
      cluster: i.cluster.ok
        ? i.cluster.facts
        : { lookup: i.cluster.reason, detail: i.cluster.detail, command },
      checklist: items,
      ...(i.signer.isNodeRole ? { see: 'CHAIN-IMDS-FALLBACK' } : {}),
    },
  });
}

export function iamAuthChecklist(i: IamAuthFailureInput): CauseItem[] {
  const facts = i.cluster.ok ? i.cluster.facts : undefined;
  const items: CauseItem[] = [];
  if (i.signer.isNodeRole) {
    const who = i.signer.callerArn ? `the node role ${i.signer.callerArn}` : 'the node role';
    items.push({
      cause: 'signed-by-node-role',
      status: 'likely',
      note: `the token was signed by ${who} (IMDS fallback, see CHAIN-IMDS-FALLBACK), not the pod's role`,
    });
  }
  items.push(
    facts?.iamAuthEnabled === false
      ? {
          cause: 'iam-auth-disabled',
          status: 'confirmed',
          note: `IAM database authentication is disabled on ${facts.identifier}.`,
        }
      : facts?.iamAuthEnabled === true
        ? {
            cause: 'iam-auth-disabled',
            status: 'ruled-out',
            note: `IAMDatabaseAuthenticationEnabled is true on ${facts.identifier}`,
          }
        : {
            cause: 'iam-auth-disabled',
            status: 'possible',
            note: 'IAM database authentication may be disabled on the cluster',
          },
  );
  items.push({
    cause: 'policy-missing',
    status: 'possible',
    note: `the role's policies may not allow rds-db:connect`,
  });
  items.push({
    cause: 'resource-is-cluster-name',
    status: 'possible',
    note: facts?.resourceId
      ? `the Resource must name ${facts.resourceId}, not the cluster name ${facts.identifier}`
      : 'the Resource must name the cluster resource id (cluster-XXXX), not the cluster name',
  });
  items.push({
    cause: 'resource-user-differs',
    status: 'possible',
    note: `the dbuser part of the Resource must be exactly "${i.user}" (case-sensitive)`,
  });
  items.push({
    cause: 'user-lacks-rds-iam',
    status: 'possible',
    note: `the database user "${i.user}" may lack rds_iam`,
  });
  items.push(tokenTarget(i));
  items.push({
    cause: 'token-expired',
    status: 'ruled-out',
    note: `this token was signed ${Math.round(i.tokenAgeMs / 1000)} s before the answer (tokens live 15 min); applications must sign a new one per connection`,
  });
  return items;
}

function tokenTarget(i: IamAuthFailureInput): CauseItem {
  const facts = i.cluster.ok ? i.cluster.facts : undefined;
  const signed = `signed for ${i.host}:${i.port} in ${i.region} (region from ${i.regionSource})`;
  if (i.cnameTarget)
    return {
      cause: 'token-host-port-region',
      status: 'likely',
      note: `${signed}, but ${i.host} is an alias of ${i.cnameTarget}; RDS checks the token against its own endpoint name`,
    };
  if (facts && !facts.endpoints.includes(i.host.toLowerCase()))
    return {
      cause: 'token-host-port-region',
      status: 'likely',
      note: `${signed}, but the cluster's endpoints are ${facts.endpoints.join(', ')}`,
    };
  if (facts?.port && facts.port !== i.port)
    return {
      cause: 'token-host-port-region',
      status: 'likely',
      note: `${signed}, but the cluster listens on ${facts.port}`,
    };
  if (!i.hostInfo && !facts)
    return {
      cause: 'token-host-port-region',
      status: 'possible',
      note: `${signed}; ${i.host} is not an RDS endpoint name (an alias, proxy or IP gets a token RDS does not accept)`,
    };
  return { cause: 'token-host-port-region', status: facts ? 'ruled-out' : 'possible', note: signed };
}

function clusterIdOf(info: RdsHostInfo | undefined): string | undefined {
  return info && (info.kind === 'cluster' || info.kind === 'cluster-ro' || info.kind === 'instance')
    ? info.identifier
    : undefined;
}

function partitionOf(arn: string | undefined): string | undefined {
  return arn?.split(':')[1] || undefined;
}
