import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EksStack, startEksStack } from '../harness/eks-stack.js';
import { listenLoopback } from '../harness/http-util.js';
import type { IamAccount } from '../harness/iam.js';
import { closedPort, startBlackhole } from '../harness/net-fixtures.js';
import { type RdsFrontDoor, startRdsFrontDoor } from '../harness/rds-front-door.js';
import { type RdsStack, startRdsStack } from '../harness/rds-stack.js';
import { verifySigV4 } from '../harness/sigv4-verify.js';
import { schemaErrors } from '../support/report-schema.js';
import { type AgentRun, runAgent } from '../support/run-agent.js';

// Aurora as the Camunda docs set it up (database camunda, IAM user zeebe), behind the RDS-style front
// door; each test breaks one piece and asserts the codes the agent derives from what the client sees.

/** rds:DescribeDBClusters over the Query protocol, SigV4-checked by the harness verifier, with RDS's XML. */
async function startRdsApi(
  iam: IamAccount,
  cluster: () => Record<string, string | number | boolean>,
  region: string,
) {
  const xml = (status: number, res: ServerResponse, body: string) => {
    res.writeHead(status, { 'content-type': 'text/xml' }).end(body);
  };
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const sig = verifySigV4(
      { method: req.method ?? 'POST', path: req.url ?? '/', headers: req.headers, body },
      iam,
    );
    const rid = randomUUID();
    const error = (status: number, code: string, message: string) =>
      xml(
        status,
        res,
        `<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${rid}</RequestId></ErrorResponse>`,
      );
    if (!sig.ok || sig.service !== 'rds' || sig.region !== region)
      return error(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
      );
    const form = new URLSearchParams(body.toString());
    const c = cluster();
    const id = form.get('DBClusterIdentifier');
    const arn = `arn:aws:rds:${region}:${iam.accountId}:cluster:${id ?? '*'}`;
    if (!iam.isAllowed(sig.credentials.roleArn, 'rds:DescribeDBClusters', arn))
      return error(
        403,
        'AccessDenied',
        `User: ${sig.credentials.assumedRoleArn} is not authorized to perform: rds:DescribeDBClusters on resource: ${arn} because no identity-based policy allows the rds:DescribeDBClusters action`,
      );
    if (id && id !== c.DBClusterIdentifier)
      return error(404, 'DBClusterNotFoundFault', `DBCluster ${id} not found.`);
    const fields = Object.entries(c)
      .map(([k, v]) => `<${k}>${v}</${k}>`)
      .join('');
    xml(
      200,
      res,
      `<DescribeDBClustersResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><DescribeDBClustersResult><DBClusters><DBCluster>${fields}</DBCluster></DBClusters></DescribeDBClustersResult><ResponseMetadata><RequestId>${rid}</RequestId></ResponseMetadata></DescribeDBClustersResponse>`,
    );
  });
  const l = await listenLoopback(server);
  return { url: `http://127.0.0.1:${l.port}`, close: l.close };
}

describe('Aurora PostgreSQL IAM login', () => {
  let eks: EksStack;
  let rds: RdsStack;
  let rdsApi: { url: string; close(): Promise<void> };
  let plainDoor: RdsFrontDoor;
  let iamAuth = true;
  const ONLY = ['--only', 'postgres-reachability,postgres'];

  beforeAll(async () => {
    eks = await startEksStack();
    const cert = await eks.ca.issue(['127.0.0.1', 'localhost']);
    rds = await startRdsStack({ iam: eks.iam, tls: cert, region: eks.region });
    await rds.postgres.createIamUser('operate', { rdsIam: true });
    eks.allow('rds-db:connect', rds.policyResource('*'));
    // The same cluster without TLS in front: a pooler or proxy that does not speak SSL.
    plainDoor = await startRdsFrontDoor({
      iam: eks.iam,
      postgres: rds.postgres,
      region: rds.region,
      resourceId: rds.resourceId,
      clusterIdentifier: rds.clusterIdentifier,
      tls: undefined,
    });
    rdsApi = await startRdsApi(
      eks.iam,
      () => ({
        DBClusterIdentifier: rds.clusterIdentifier,
        DbClusterResourceId: rds.resourceId,
        IAMDatabaseAuthenticationEnabled: iamAuth,
        Endpoint: rds.frontDoor.endpointHost,
        Port: rds.frontDoor.port,
        Engine: 'aurora-postgresql',
      }),
      eks.region,
    );
  });
  afterAll(async () => {
    await plainDoor?.close();
    await rdsApi?.close();
    await rds?.close();
    await eks?.close();
  });

  const run = async (args: string[], env?: Record<string, string>): Promise<AgentRun> =>
    runAgent(env ?? (await eks.podEnv({ extra: { AWS_ENDPOINT_URL_RDS: rdsApi.url } })), [...ONLY, ...args]);
  const login = (o: { endpoint?: string; user?: string; database?: string; extra?: string[] } = {}) => [
    '--postgres',
    o.endpoint ?? rds.frontDoor.endpoint,
    '--postgres-user',
    o.user ?? 'zeebe',
    '--postgres-database',
    o.database ?? 'camunda',
    ...(o.extra ?? []),
  ];
  const lastRejection = () => rds.frontDoor.lastRejections.at(-1)?.reason;
  const codesOf = (r: AgentRun, id: string) => r.check(id)?.findings.map((f) => `${f.code}:${f.status}`);

  it('logs in with a token signed by the IRSA role and verifies TLS against the given CA (verify-full)', async () => {
    const r = await run(login({ extra: ['--postgres-ca', eks.ca.caFile] }));
    expect(codesOf(r, 'postgres-reachability')).toEqual(['NET-OK:pass']);
    expect(codesOf(r, 'postgres')).toEqual(['PG-LOGIN-OK:pass']);
    const ok = r.finding('PG-LOGIN-OK');
    expect(ok?.details).toMatchObject({
      tls: 'verify-full',
      currentUser: 'zeebe',
      rdsIamMember: true,
      regionSource: 'configuration',
    });
    expect(ok?.details?.signedBy).toMatchObject({
      arn: expect.stringContaining('assumed-role/irsa-doctor-app/'),
      nodeRole: false,
    });
    expect(r.stdout).not.toMatch(/X-Amz-Signature=[0-9a-f]/);
    expect(r.code).toBe(0);
  });

  it('says TLS is not verified without --postgres-ca, and names missing privileges', async () => {
    const r = await run(login({ user: 'operate' }));
    expect(codesOf(r, 'postgres')).toEqual([
      'PG-LOGIN-OK:pass',
      'PG-TLS-UNVERIFIED:info',
      'PG-DB-PRIVILEGES:warn',
      'PG-SCHEMA-PRIVILEGES:info',
    ]);
    expect(r.finding('PG-DB-PRIVILEGES')?.remediation).toContain(
      'GRANT ALL PRIVILEGES ON DATABASE "camunda" TO "operate";',
    );
    expect(r.code).toBe(0);
  });

  it('GRANT ALL ON DATABASE alone (PostgreSQL 15+): login passes, schema public is only a note', async () => {
    await rds.postgres.createIamUser('identity', { rdsIam: true });
    await rds.postgres.query('GRANT ALL ON DATABASE camunda TO identity');
    const r = await run(login({ user: 'identity' }));
    expect(codesOf(r, 'postgres')).toEqual([
      'PG-LOGIN-OK:pass',
      'PG-TLS-UNVERIFIED:info',
      'PG-SCHEMA-PRIVILEGES:info',
    ]);
    expect(r.finding('PG-LOGIN-OK')?.details?.privileges).toMatchObject({ connect: true, create: true });
    expect(r.finding('PG-SCHEMA-PRIVILEGES')?.message).toContain('GRANT ALL ON SCHEMA public TO "identity";');
    expect(r.check('postgres')?.status).toBe('info');
    expect(schemaErrors(r.report)).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('user without rds_iam: PAM failure with the checklist', async () => {
    const r = await run(login({ user: 'noiam' }));
    expect(lastRejection()).toBe('not-rds-iam-member');
    const f = r.finding('PG-IAM-AUTH-FAILED');
    expect(f?.status).toBe('fail');
    expect(f?.remediation).toContain('GRANT rds_iam TO "noiam";');
    // The role may not describe the cluster here: the agent says how to look instead.
    expect(f?.details?.cluster).toMatchObject({ lookup: 'access-denied' });
    expect(f?.remediation).toContain('describe-db-clusters');
    expect(r.code).toBe(1);
  });

  it('policy resource names the cluster instead of its resource id: the exact resource is printed', async () => {
    const byName = `arn:aws:rds-db:${rds.region}:${eks.iam.accountId}:dbuser:${rds.clusterIdentifier}/zeebe`;
    const roleArn = eks.iam.roleArn('zeebe-by-name');
    eks.iam.addRole({
      arn: roleArn,
      trustPolicy: eks.healthyTrustPolicy(),
      policies: [
        { Statement: [{ Effect: 'Allow', Action: 'rds-db:connect', Resource: byName }] },
        { Statement: [{ Effect: 'Allow', Action: 'rds:DescribeDBClusters', Resource: '*' }] },
      ],
    });
    const r = await run(login(), await eks.podEnv({ roleArn, extra: { AWS_ENDPOINT_URL_RDS: rdsApi.url } }));
    expect(lastRejection()).toBe('not-authorized');
    const f = r.finding('PG-IAM-AUTH-FAILED');
    expect(f?.details?.policyResource).toBe(rds.policyResource('zeebe'));
    expect(f?.remediation).toContain(rds.policyResource('zeebe'));
    const checklist = f?.details?.checklist as Array<{ cause: string; status: string }>;
    expect(checklist.find((c) => c.cause === 'iam-auth-disabled')?.status).toBe('ruled-out');
    expect(r.code).toBe(1);
  });

  it('IAM authentication disabled on the cluster: confirmed through DescribeDBClusters', async () => {
    eks.allow('rds:DescribeDBClusters', '*');
    rds.frontDoor.setIamAuthEnabled(false);
    iamAuth = false;
    try {
      const r = await run(login());
      expect(lastRejection()).toBe('iam-auth-disabled');
      const f = r.finding('PG-IAM-AUTH-FAILED');
      const checklist = f?.details?.checklist as Array<{ cause: string; status: string }>;
      expect(checklist.find((c) => c.cause === 'iam-auth-disabled')?.status).toBe('confirmed');
      expect(f?.remediation).toContain('--enable-iam-database-authentication');
    } finally {
      rds.frontDoor.setIamAuthEnabled(true);
      iamAuth = true;
      eks.role.policies.pop();
    }
  });

  it('token signed for another host name (localhost instead of the endpoint 127.0.0.1)', async () => {
    const r = await run(login({ endpoint: `localhost:${rds.frontDoor.port}` }));
    expect(lastRejection()).toBe('wrong-endpoint');
    const f = r.finding('PG-IAM-AUTH-FAILED');
    expect(f?.status).toBe('fail');
    const checklist = f?.details?.checklist as Array<{ cause: string; status: string }>;
    expect(checklist.find((c) => c.cause === 'token-host-port-region')?.status).not.toBe('ruled-out');
  });

  it('token signed for another region (--region differs from the cluster)', async () => {
    const r = await run(login({ extra: ['--region', 'us-east-1'] }));
    expect(lastRejection()).toBe('wrong-region');
    const f = r.finding('PG-IAM-AUTH-FAILED');
    expect(f?.details).toMatchObject({ region: 'us-east-1', regionSource: 'configuration' });
  });

  it('server without TLS: the token is never sent and SSL is named as required', async () => {
    const before = plainDoor.lastRejections.length;
    const r = await run(login({ endpoint: plainDoor.endpoint }));
    expect(plainDoor.lastRejections.slice(before).map((x) => x.reason)).toEqual(['no-ssl']);
    expect(codesOf(r, 'postgres')).toEqual(['PG-SSL-REQUIRED:fail']);
    expect(codesOf(r, 'postgres-reachability')).toEqual(['NET-TLS:fail']);
  });

  it('password user: the server checks a password, so it is not an IAM user', async () => {
    const r = await run(login({ user: 'legacy' }));
    expect(codesOf(r, 'postgres')).toEqual(['PG-NOT-IAM-USER:fail']);
    expect(r.finding('PG-NOT-IAM-USER')?.remediation).toContain('GRANT rds_iam TO "legacy";');
  });

  it('missing database', async () => {
    const r = await run(login({ database: 'operate' }));
    expect(codesOf(r, 'postgres')).toEqual(['PG-DATABASE-MISSING:fail']);
    expect(r.finding('PG-DATABASE-MISSING')?.remediation).toContain('CREATE DATABASE "operate";');
  });

  it('no IRSA in the pod: the node role signs (IMDS fallback) and is named first', async () => {
    const env = await eks.podEnv({
      omit: ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE'],
      extra: { AWS_ENDPOINT_URL_RDS: rdsApi.url },
    });
    const denied = await run(login(), env);
    const f = denied.finding('PG-IAM-AUTH-FAILED');
    expect(f?.details?.signedBy).toMatchObject({ nodeRole: true });
    expect((f?.details?.checklist as Array<{ cause: string }>)[0]?.cause).toBe('signed-by-node-role');
    eks.allow('rds-db:connect', rds.policyResource('zeebe'), eks.nodeRoleArn);
    try {
      const allowed = await run(login(), env);
      expect(codesOf(allowed, 'postgres')).toEqual([
        'PG-LOGIN-OK:pass',
        'PG-TLS-UNVERIFIED:info',
        'PG-SIGNED-BY-NODE-ROLE:warn',
      ]);
    } finally {
      eks.iam.getRole(eks.nodeRoleArn)?.policies.pop();
    }
  });

  it('no credentials at all: the login is skipped with a pointer to the chain findings', async () => {
    const env = await eks.podEnv({
      omit: ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE'],
      extra: { AWS_EC2_METADATA_DISABLED: 'true' },
    });
    const r = await run(login(), env);
    expect(codesOf(r, 'postgres')).toEqual(['PG-LOGIN-SKIPPED:skip']);
    expect(codesOf(r, 'postgres-reachability')).toEqual(['NET-OK:pass']);
  });

  it('unresolvable host (.invalid)', async () => {
    const r = await run(login({ endpoint: 'camunda-aurora.invalid:5432' }));
    expect(codesOf(r, 'postgres-reachability')).toEqual(['NET-DNS:fail']);
    expect(codesOf(r, 'postgres')).toEqual(['NET-DNS:fail']);
  });

  it('closed port', async () => {
    const r = await run(login({ endpoint: `127.0.0.1:${await closedPort()}` }));
    expect(codesOf(r, 'postgres-reachability')).toEqual(['NET-REFUSED:fail']);
    expect(codesOf(r, 'postgres')).toEqual(['NET-REFUSED:fail']);
  });

  it('blackholed port: one bounded timeout with the security-group rule to add', async () => {
    const hole = await startBlackhole();
    try {
      const r = await run(login({ endpoint: `${hole.host}:${hole.port}` }));
      expect(codesOf(r, 'postgres-reachability')).toEqual(['NET-TIMEOUT:fail']);
      expect(codesOf(r, 'postgres')).toEqual(['NET-TIMEOUT:fail']);
      expect(r.finding('NET-TIMEOUT')?.remediation).toContain(`--port ${hole.port} --source-group`);
      expect(r.report.checks.every((c) => c.status !== 'error')).toBe(true);
    } finally {
      await hole.close();
    }
  });

  it('asks for a user when only an endpoint is given, and skips cleanly without one', async () => {
    const env = await eks.podEnv();
    const r = await runAgent(env, [...ONLY, '--postgres', rds.frontDoor.endpoint]);
    expect(codesOf(r, 'postgres')).toEqual(['PG-USER-MISSING:fail']);
    const none = await runAgent(env, ONLY);
    expect(codesOf(none, 'postgres')).toEqual(['PG-NOT-CONFIGURED:skip']);
    expect(codesOf(none, 'postgres-reachability')).toEqual(['PG-NOT-CONFIGURED:skip']);
  });

  it('an unparsable target is named before the missing user, and reachability does not pass it', async () => {
    const r = await runAgent(await eks.podEnv(), [...ONLY, '--postgres', 'a..b']);
    expect(codesOf(r, 'postgres')).toEqual(['PG-TARGET-INVALID:fail', 'PG-USER-MISSING:fail']);
    expect(r.finding('PG-TARGET-INVALID')?.details).toMatchObject({ raw: 'a..b' });
    expect(codesOf(r, 'postgres-reachability')).toEqual(['PG-TARGET-INVALID:skip']);
    expect(r.check('postgres-reachability')?.status).not.toBe('pass');
    expect(schemaErrors(r.report)).toEqual([]);
    expect(r.code).toBe(1);
  });
});
