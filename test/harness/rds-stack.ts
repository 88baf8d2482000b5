// A healthy Aurora PostgreSQL setup as the Camunda docs describe it: database `camunda`, an IAM
// user for Zeebe, plus two users that must NOT log in with a token. Scenario tests break one piece.
import { randomBytes } from 'node:crypto';
import type { IamAccount } from './iam.js';
import { type PostgresServer, startPostgres } from './postgres-server.js';
import { type RdsFrontDoor, type RdsFrontDoorOptions, startRdsFrontDoor } from './rds-front-door.js';

export interface RdsStackOptions {
  iam: IamAccount;
  tls: { certPem: string; keyPem: string } | undefined;
  region?: string;
  clusterIdentifier?: string;
  endpointHost?: string;
  iamAuthEnabled?: boolean;
  now?: () => Date;
}

export interface RdsStack {
  postgres: PostgresServer;
  frontDoor: RdsFrontDoor;
  region: string;
  clusterIdentifier: string;
  /** `cluster-` plus 26 upper-case characters, like a real DbClusterResourceId. */
  resourceId: string;
  legacyPassword: string;
  /** The resource an `rds-db:connect` statement must name: arn:aws:rds-db:REGION:ACCT:dbuser:RESOURCE_ID/USER */
  policyResource(user: string): string;
  close(): Promise<void>;
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export async function startRdsStack(opts: RdsStackOptions): Promise<RdsStack> {
  const region = opts.region ?? 'eu-west-1';
  const clusterIdentifier = opts.clusterIdentifier ?? 'camunda-aurora';
  const resourceId = `cluster-${[...randomBytes(26)].map((b) => ID_CHARS[b % ID_CHARS.length]).join('')}`;
  const legacyPassword = randomBytes(12).toString('base64url');
  const postgres = await startPostgres();
  try {
    await postgres.createIamUser('zeebe', { rdsIam: true });
    await postgres.createIamUser('noiam', { rdsIam: false });
    await postgres.createPasswordUser('legacy', legacyPassword);
    await postgres.createDatabase('camunda');
    await postgres.query('GRANT CONNECT, CREATE ON DATABASE camunda TO zeebe');
    // Since PostgreSQL 15 PUBLIC may no longer create in schema public; Zeebe's exporter needs to.
    await postgres.queryIn('camunda', 'GRANT ALL ON SCHEMA public TO zeebe');
    const frontDoorOptions: RdsFrontDoorOptions = {
      iam: opts.iam,
      postgres,
      region,
      resourceId,
      clusterIdentifier,
      endpointHost: opts.endpointHost,
      iamAuthEnabled: opts.iamAuthEnabled,
      tls: opts.tls,
      now: opts.now,
    };
    const frontDoor = await startRdsFrontDoor(frontDoorOptions);
    return {
      postgres,
      frontDoor,
      region,
      clusterIdentifier,
      resourceId,
      legacyPassword,
      policyResource: (user) =>
        `arn:${opts.iam.partition}:rds-db:${region}:${opts.iam.accountId}:dbuser:${resourceId}/${user}`,
      async close() {
        await frontDoor.close();
        await postgres.close();
      },
    };
  } catch (err) {
    await postgres.close();
    throw err;
  }
}
