import type { CamundaComponent, OpenSearchUse, PostgresUse } from './camunda-component.js';

/**
 * The endpoints a workload reaches with IAM, as the agent takes them: the Aurora/RDS login its JDBC
 * connection makes and the OpenSearch URLs its clients sign for. Only IAM targets: a password login to
 * a PostgreSQL that is not Aurora says nothing about the pod's AWS identity.
 */
export interface AgentTargets {
  readonly postgres?: {
    readonly host: string;
    readonly port: number;
    readonly database?: string;
    readonly user?: string;
  };
  /** Distinct URLs, first seen first. */
  readonly opensearch: readonly string[];
}

const RDS_HOST = /\.rds\.amazonaws\.com(\.cn)?$/i;
const OPENSEARCH_HOST = /\.(es|aoss)\.amazonaws\.com(\.cn)?$/i;
const WRAPPER_DRIVER = 'software.amazon.jdbc.Driver';

/** An Aurora/RDS endpoint by its name (a CNAME of one looks like any other host). */
export function isRdsHost(host: string | undefined): boolean {
  return host !== undefined && RDS_HOST.test(host);
}

/** An Amazon OpenSearch Service (es) or Serverless (aoss) endpoint by its name. */
export function isAmazonOpenSearchHost(host: string | undefined): boolean {
  return host !== undefined && OPENSEARCH_HOST.test(host);
}

/** The configuration asks for IAM: the iam plugin, the AWS JDBC wrapper's URL form or its driver. */
export function wantsIamLogin(u: PostgresUse): boolean {
  return u.iam.value || /^jdbc:aws-wrapper:/i.test(u.url?.value ?? '') || u.driver?.value === WRAPPER_DRIVER;
}

/** A login the agent should try with the pod's role: IAM is on, asked for, or the host is Aurora/RDS. */
export function isIamPostgres(u: PostgresUse): boolean {
  return wantsIamLogin(u) || isRdsHost(u.host?.value);
}

/** A client that signs, or should: the AWS switch is on, or the endpoint is Amazon's (by name or by a signing sibling). */
export function isAwsOpenSearch(u: OpenSearchUse, signedHosts: ReadonlySet<string>): boolean {
  const host = u.host?.value;
  return u.aws.value || isAmazonOpenSearchHost(host) || (host !== undefined && signedHosts.has(host));
}

export function agentTargets(c: CamundaComponent, signedHosts: ReadonlySet<string>): AgentTargets {
  return targetsFromUses(c.postgres, c.opensearch, signedHosts);
}

/** The first IAM login with a host, and every OpenSearch URL that signs or should. */
export function targetsFromUses(
  postgres: readonly PostgresUse[],
  opensearch: readonly OpenSearchUse[],
  signedHosts: ReadonlySet<string>,
): AgentTargets {
  const pg = postgres.find((u) => u.host && isIamPostgres(u));
  const urls = [
    ...new Set(opensearch.filter((u) => u.url && isAwsOpenSearch(u, signedHosts)).map((u) => u.url!.value)),
  ];
  return {
    ...(pg?.host
      ? {
          postgres: {
            host: pg.host.value,
            port: pg.port?.value ?? 5432,
            ...(pg.database ? { database: pg.database.value } : {}),
            ...(pg.user ? { user: pg.user.value } : {}),
          },
        }
      : {}),
    opensearch: urls,
  };
}

/** The agent flags for these targets (`irsa-doctor check --postgres ... --opensearch ...`). */
export function agentTargetArgs(t: AgentTargets): string[] {
  const out: string[] = [];
  if (t.postgres) {
    const host = t.postgres.host.includes(':') ? `[${t.postgres.host}]` : t.postgres.host;
    out.push('--postgres', `${host}:${t.postgres.port}`);
    if (t.postgres.user) out.push('--postgres-user', t.postgres.user);
    if (t.postgres.database) out.push('--postgres-database', t.postgres.database);
  }
  for (const url of t.opensearch) out.push('--opensearch', url);
  return out;
}

/** Hosts some OpenSearch client of the deployment signs for: a sibling pointing there unsigned is a mistake. */
export function signedOpenSearchHosts(components: readonly CamundaComponent[]): Set<string> {
  return new Set(
    components.flatMap((c) => c.opensearch.filter((u) => u.aws.value && u.host).map((u) => u.host!.value)),
  );
}
