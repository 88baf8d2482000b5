import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EksStack, startEksStack } from '../harness/eks-stack.js';
import { closedPort } from '../harness/net-fixtures.js';
import { type RdsFrontDoor, startRdsFrontDoor } from '../harness/rds-front-door.js';
import { type RdsStack, startRdsStack } from '../harness/rds-stack.js';
import { createTestCa, type IssuedCert, type TestCa } from '../harness/tls-ca.js';
import { type AgentRun, runAgent } from '../support/run-agent.js';

// The nmap job's replacement, through the real CLI: DNS, TCP and TLS facts per endpoint, and the
// login check refusing to send a token to an endpoint whose TLS is broken.
describe('PostgreSQL endpoint reachability', () => {
  let eks: EksStack;
  let rds: RdsStack;
  let otherCa: TestCa;
  const doors: RdsFrontDoor[] = [];
  const ONLY = ['--only', 'postgres-reachability,postgres'];

  const door = async (tls: IssuedCert) => {
    const d = await startRdsFrontDoor({
      iam: eks.iam,
      postgres: rds.postgres,
      region: rds.region,
      resourceId: rds.resourceId,
      clusterIdentifier: rds.clusterIdentifier,
      tls,
    });
    doors.push(d);
    return d;
  };

  beforeAll(async () => {
    eks = await startEksStack();
    rds = await startRdsStack({
      iam: eks.iam,
      tls: await eks.ca.issue(['127.0.0.1', 'localhost']),
      region: eks.region,
    });
    eks.allow('rds-db:connect', rds.policyResource('*'));
    otherCa = await createTestCa({ commonName: 'some other CA' });
  });
  afterAll(async () => {
    for (const d of doors) await d.close();
    await rds?.close();
    await eks?.close();
    otherCa?.cleanup();
  });

  const run = async (endpoints: string[], extra: string[] = []): Promise<AgentRun> =>
    runAgent(await eks.podEnv(), [
      ...ONLY,
      ...endpoints.flatMap((e) => ['--postgres', e]),
      '--postgres-user',
      'zeebe',
      '--postgres-database',
      'camunda',
      ...extra,
    ]);
  const codesOf = (r: AgentRun, id: string) => r.check(id)?.findings.map((f) => `${f.code}:${f.status}`);

  it('reports addresses, connect time and the certificate of a healthy endpoint', async () => {
    const r = await run([`localhost:${rds.frontDoor.port}`], ['--postgres-ca', eks.ca.caFile]);
    const ok = r.finding('NET-OK');
    expect(ok?.status).toBe('pass');
    expect(ok?.details).toMatchObject({
      host: 'localhost',
      port: rds.frontDoor.port,
      addresses: [{ address: '127.0.0.1', family: 4, private: true, scope: 'loopback' }],
      tcp: [{ address: '127.0.0.1', ok: true }],
      tls: {
        ok: true,
        authorized: true,
        hostnameMatch: true,
        expired: false,
        sans: ['IP Address:127.0.0.1', 'DNS:localhost'],
      },
    });
    expect(typeof (ok?.details?.tcp as Array<{ ms: unknown }>)[0]?.ms).toBe('number');
  });

  it('an expired server certificate fails TLS and no token is sent', async () => {
    const d = await door(
      await eks.ca.issue(['127.0.0.1'], {
        notBefore: new Date(Date.now() - 3 * 86400_000),
        notAfter: new Date(Date.now() - 86400_000),
      }),
    );
    const r = await run([d.endpoint]);
    expect(codesOf(r, 'postgres-reachability')).toEqual(['NET-TLS:fail']);
    expect(codesOf(r, 'postgres')).toEqual(['NET-TLS:fail']);
    expect(d.lastRejections).toEqual([]);
    expect(r.code).toBe(1);
  });

  it('a certificate for another name: a warning when unverified, a failure under verify-full', async () => {
    const d = await door(await eks.ca.issue(['db.internal']));
    const loose = await run([d.endpoint]);
    expect(codesOf(loose, 'postgres-reachability')).toEqual(['NET-OK:pass', 'NET-TLS:warn']);
    expect(codesOf(loose, 'postgres')).toEqual(['PG-LOGIN-OK:pass', 'PG-TLS-UNVERIFIED:info']);
    const strict = await run([d.endpoint], ['--postgres-ca', eks.ca.caFile]);
    expect(codesOf(strict, 'postgres-reachability')).toEqual(['NET-TLS:fail']);
    expect(codesOf(strict, 'postgres')).toEqual(['NET-TLS:fail']);
  });

  it('a CA bundle that did not sign the server certificate fails verify-full', async () => {
    const r = await run([rds.frontDoor.endpoint], ['--postgres-ca', otherCa.caFile]);
    expect(codesOf(r, 'postgres-reachability')).toEqual(['NET-TLS:fail']);
    expect(r.finding('NET-TLS')?.details?.tls).toMatchObject({ authorized: false });
    expect(codesOf(r, 'postgres')).toEqual(['NET-TLS:fail']);
  });

  it('an unreadable CA bundle stops the login, not the probe', async () => {
    const notPem = join(eks.tmpDir, 'not-a-bundle.txt');
    writeFileSync(notPem, 'hello');
    const r = await run([rds.frontDoor.endpoint], ['--postgres-ca', notPem]);
    expect(codesOf(r, 'postgres-reachability')).toEqual(['NET-OK:pass']);
    expect(codesOf(r, 'postgres')).toEqual(['PG-CA-UNREADABLE:fail']);
  });

  it('judges each endpoint on its own and names a bad one', async () => {
    const r = await run([rds.frontDoor.endpoint, `127.0.0.1:${await closedPort()}`, 'db:99999']);
    expect(codesOf(r, 'postgres-reachability')).toEqual([
      'NET-OK:pass',
      'NET-REFUSED:fail',
      'PG-TARGET-INVALID:skip',
    ]);
    expect(codesOf(r, 'postgres')).toEqual([
      'PG-LOGIN-OK:pass',
      'PG-TLS-UNVERIFIED:info',
      'NET-REFUSED:fail',
      'PG-TARGET-INVALID:fail',
    ]);
  });
});
