// The data-plane checks against peers written independently of test/harness (no shared wire code): a bare
// PostgreSQL wire server that scripts its answers, a bare HTTPS OpenSearch that never checks signatures but
// answers in each documented 403 shape, and broken endpoints. The agent must key on SQLSTATEs and the
// documented phrases, whatever order, case or content type the peer uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EksStack, startEksStack } from '../harness/eks-stack.js';
import type { IssuedCert } from '../harness/tls-ca.js';
import { type Reply, startHttpsPeer } from '../peers/opensearch-https-peer.js';
import { type Fields, type PgScript, type QueryAnswer, startPgPeer } from '../peers/postgres-wire-peer.js';
import { freePort, silentHttpsServer, silentServer } from '../peers/silent-endpoints.js';
import { schemaErrors } from '../support/report-schema.js';
import { type AgentRun, runAgent } from '../support/run-agent.js';

const BOOL = 16;
const TEXT = 25;
const fatal = (code: string, message: string, order: 'SVCM' | 'MCSV' | 'CSM' = 'SVCM'): Fields => {
  const f: Record<string, [string, string]> = {
    S: ['S', 'FATAL'],
    V: ['V', 'FATAL'],
    C: ['C', code],
    M: ['M', message],
  };
  return [...order].map((k) => f[k]!);
};

/** Answers the documented one-function queries only, the way a small emulator would. */
function rdsQueries(o: { rdsIam: boolean | 'no-role'; connect: boolean; create: boolean; boolOid?: number }) {
  const oid = o.boolOid ?? BOOL;
  const b = (v: boolean) => (oid === BOOL ? (v ? 't' : 'f') : v ? 'true' : 'false');
  return (sql: string): QueryAnswer => {
    const q = sql.toLowerCase();
    if (q.includes('pg_has_role')) {
      if (o.rdsIam === 'no-role')
        return {
          error: [
            ['S', 'ERROR'],
            ['C', '42704'],
            ['M', 'role "rds_iam" does not exist'],
          ],
        };
      return { cols: [{ name: 'pg_has_role', oid }], rows: [[b(o.rdsIam)]] };
    }
    if (q.includes('has_database_privilege')) {
      const v = q.includes("'create'") ? o.create : q.includes("'connect'") ? o.connect : true;
      return { cols: [{ name: 'has_database_privilege', oid }], rows: [[b(v)]] };
    }
    if (q.includes('version()'))
      return {
        cols: [{ name: 'version', oid: TEXT }],
        rows: [['PostgreSQL 16.4 on aarch64-unknown-linux-gnu, compiled by gcc, 64-bit']],
      };
    return {
      error: [
        ['S', 'ERROR'],
        ['C', '42601'],
        ['M', 'syntax error at or near "select"'],
      ],
    };
  };
}

// ---------- the tests ----------

let eks: EksStack;
let cert: IssuedCert;
const ONLY_PG = ['--only', 'postgres-reachability,postgres'];
const codesOf = (r: AgentRun, id: string) => r.check(id)?.findings.map((f) => `${f.code}:${f.status}`);

beforeAll(async () => {
  eks = await startEksStack();
  cert = await eks.ca.issue(['127.0.0.1', 'localhost']);
});
afterAll(() => eks?.close());

async function pgRun(script: () => PgScript, o: { user?: string; database?: string } = {}) {
  const peer = await startPgPeer(cert, script);
  try {
    const run = await runAgent(await eks.podEnv(), [
      ...ONLY_PG,
      '--postgres',
      peer.endpoint,
      '--postgres-user',
      o.user ?? 'zeebe',
      '--postgres-database',
      o.database ?? 'camunda',
      '--postgres-ca',
      eks.ca.caFile,
    ]);
    expect(schemaErrors(run.report)).toEqual([]);
    expect(run.report.checks.every((c) => c.status !== 'error')).toBe(true);
    return { run, peer };
  } finally {
    await peer.close();
  }
}

describe('PostgreSQL against a minimal wire peer', () => {
  it('PAM failure, fields in another order: PG-IAM-AUTH-FAILED', async () => {
    const { run, peer } = await pgRun(() => ({
      ssl: 'S',
      afterPassword: () => fatal('28000', 'PAM authentication failed for user "zeebe"', 'MCSV'),
    }));
    expect(peer.seen.at(-1)?.passwordLength).toBeGreaterThan(1000);
    expect(codesOf(run, 'postgres')).toEqual(['PG-IAM-AUTH-FAILED:fail']);
    expect(run.code).toBe(1);
  });

  it('password user (28P01, no V field): PG-NOT-IAM-USER', async () => {
    const { run } = await pgRun(
      () => ({
        ssl: 'S',
        afterPassword: () => fatal('28P01', 'password authentication failed for user "legacy"', 'CSM'),
      }),
      { user: 'legacy' },
    );
    expect(codesOf(run, 'postgres')).toEqual(['PG-NOT-IAM-USER:fail']);
  });

  it('password user asked for MD5: PG-NOT-IAM-USER naming the method', async () => {
    const { run } = await pgRun(
      () => ({
        ssl: 'S',
        auth: 'md5',
        afterPassword: () => fatal('28P01', 'password authentication failed for user "legacy"'),
      }),
      { user: 'legacy' },
    );
    expect(codesOf(run, 'postgres')).toEqual(['PG-NOT-IAM-USER:fail']);
    expect(run.finding('PG-NOT-IAM-USER')?.details).toMatchObject({ authMethod: 'md5' });
  });

  it('missing database (3D000): PG-DATABASE-MISSING', async () => {
    const { run } = await pgRun(
      () => ({ ssl: 'S', afterPassword: () => fatal('3D000', 'database "x" does not exist') }),
      { database: 'x' },
    );
    expect(codesOf(run, 'postgres')).toEqual(['PG-DATABASE-MISSING:fail']);
  });

  for (const wording of ['SSL off', 'no encryption']) {
    it(`server refuses SSL, pg_hba says "${wording}": PG-SSL-REQUIRED and no token sent`, async () => {
      const { run, peer } = await pgRun(() => ({
        ssl: 'N',
        atStartup: fatal(
          '28000',
          `no pg_hba.conf entry for host "10.0.1.5", user "zeebe", database "camunda", ${wording}`,
        ),
      }));
      expect(peer.seen.every((v) => v.passwordLength === undefined)).toBe(true);
      expect(codesOf(run, 'postgres')).toEqual(['PG-SSL-REQUIRED:fail']);
      expect(codesOf(run, 'postgres-reachability')).toEqual(['NET-TLS:fail']);
    });
  }

  it('successful login answered by a peer that knows only the documented one-function queries', async () => {
    const { run } = await pgRun(() => ({
      ssl: 'S',
      query: rdsQueries({ rdsIam: true, connect: true, create: true }),
    }));
    expect(codesOf(run, 'postgres')).toEqual(['PG-LOGIN-OK:pass']);
    expect(run.finding('PG-LOGIN-OK')?.details).toMatchObject({ serverVersion: '16.4' });
    expect(run.code).toBe(0);
  });

  it('logged in, but not a member of rds_iam (booleans sent as text): PG-RDS-IAM-MISSING', async () => {
    const { run } = await pgRun(() => ({
      ssl: 'S',
      query: rdsQueries({ rdsIam: false, connect: true, create: true, boolOid: TEXT }),
    }));
    expect(codesOf(run, 'postgres')).toEqual(['PG-LOGIN-OK:pass', 'PG-RDS-IAM-MISSING:warn']);
  });

  it('logged in without CREATE on the database: PG-DB-PRIVILEGES', async () => {
    const { run } = await pgRun(() => ({
      ssl: 'S',
      query: rdsQueries({ rdsIam: true, connect: true, create: false }),
    }));
    expect(codesOf(run, 'postgres')).toEqual(['PG-LOGIN-OK:pass', 'PG-DB-PRIVILEGES:warn']);
  });

  it('a peer that answers no query at all still reports the login as working', async () => {
    const { run } = await pgRun(() => ({ ssl: 'S' }));
    expect(codesOf(run, 'postgres')).toEqual(['PG-LOGIN-OK:pass']);
  });
});

// ---------- a minimal OpenSearch peer ----------

const ROOT = JSON.stringify({
  name: 'node-1',
  cluster_name: '111122223333:camunda',
  cluster_uuid: 'abc',
  version: { distribution: 'opensearch', number: '2.11.0', build_type: 'tar' },
  tagline: 'The OpenSearch Project: https://opensearch.org/',
});
const ACCT = '111122223333';

async function osRun(route: (path: string) => Reply, env?: Record<string, string>) {
  const peer = await startHttpsPeer(cert, route);
  try {
    const run = await runAgent(env ?? (await eks.podEnv()), [
      '--only',
      'opensearch',
      '--opensearch',
      peer.url,
    ]);
    expect(schemaErrors(run.report)).toEqual([]);
    expect(run.check('opensearch')?.status).not.toBe('error');
    return run;
  } finally {
    await peer.close();
  }
}
const osCodes = (r: AgentRun) => codesOf(r, 'opensearch');
const denyAll = (body: string, type?: string) => (): Reply => ({
  status: 403,
  body,
  ...(type ? { type } : {}),
});

describe('OpenSearch against a minimal HTTPS peer', () => {
  const who = `arn:aws:sts::${ACCT}:assumed-role/r/s`;
  const resourceText = `User: ${who} is not authorized to perform: es:ESHttpGet because no resource-based policy allows the es:ESHttpGet action`;

  it('access policy, capital Message', async () => {
    const r = await osRun(denyAll(JSON.stringify({ Message: resourceText })));
    expect(osCodes(r)).toEqual(['OS-ACCESS-POLICY:fail']);
  });

  it('access policy, lowercase message, served as text/plain', async () => {
    const r = await osRun(denyAll(JSON.stringify({ message: resourceText }), 'text/plain'));
    expect(osCodes(r)).toEqual(['OS-ACCESS-POLICY:fail']);
  });

  it('access policy, bare text body', async () => {
    const r = await osRun(denyAll(resourceText, 'text/plain; charset=utf-8'));
    expect(osCodes(r)).toEqual(['OS-ACCESS-POLICY:fail']);
  });

  it('identity policy', async () => {
    const text = `User: ${who} is not authorized to perform: es:ESHttpGet on resource: arn:aws:es:eu-west-1:${ACCT}:domain/camunda/ because no identity-based policy allows the es:ESHttpGet action`;
    const r = await osRun(denyAll(JSON.stringify({ Message: text })));
    expect(osCodes(r)).toEqual(['OS-IDENTITY-POLICY:fail']);
  });

  it('anonymous', async () => {
    const text =
      'User: anonymous is not authorized to perform: es:ESHttpGet because no resource-based policy allows the es:ESHttpGet action';
    const r = await osRun(denyAll(JSON.stringify({ Message: text })));
    expect(osCodes(r)).toEqual(['OS-ANONYMOUS:fail']);
  });

  it('signature mismatch, as text/plain JSON and as lowercase message', async () => {
    const text =
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
    const a = await osRun(denyAll(JSON.stringify({ message: text }), 'text/plain'));
    expect(osCodes(a)).toEqual(['OS-SIGNATURE:fail']);
    const b = await osRun(denyAll(JSON.stringify({ Message: text })));
    expect(osCodes(b)).toEqual(['OS-SIGNATURE:fail']);
  });

  it('FGAC security_exception for the IRSA role: OS-FGAC-UNMAPPED', async () => {
    const role = eks.roleArn;
    const reason = `no permissions for [cluster:monitor/main] and User [name=${role}, backend_roles=[${role}], requestedTenant=null]`;
    const body = JSON.stringify({
      error: {
        root_cause: [{ type: 'security_exception', reason }],
        type: 'security_exception',
        reason,
      },
      status: 403,
    });
    const r = await osRun((path) =>
      path.endsWith('/api/account')
        ? {
            status: 200,
            body: JSON.stringify({
              user_name: role,
              is_reserved: false,
              is_hidden: false,
              is_internal_user: false,
              user_requested_tenant: null,
              backend_roles: [role],
              custom_attribute_names: [],
              tenants: { global_tenant: true },
              roles: [],
            }),
          }
        : { status: 403, body },
    );
    expect(osCodes(r)).toEqual(['OS-FGAC-UNMAPPED:fail', 'OS-FGAC-USER:info']);
  });

  it('healthy domain with FGAC mapping the IRSA role', async () => {
    const role = eks.roleArn;
    const r = await osRun((path) =>
      path.endsWith('/api/account')
        ? {
            status: 200,
            body: JSON.stringify({ user_name: role, backend_roles: [role], roles: ['all_access'] }),
          }
        : { status: 200, body: ROOT },
    );
    expect(osCodes(r)).toEqual(['OS-OK:pass', 'OS-FGAC-USER:info']);
    expect(r.finding('OS-FGAC-USER')?.details).toMatchObject({ userName: role, roles: ['all_access'] });
  });

  it('healthy domain answering JSON as text/plain or with no content type', async () => {
    const role = eks.roleArn;
    for (const type of ['text/plain; charset=utf-8', '']) {
      const r = await osRun((path) =>
        path.endsWith('/api/account')
          ? {
              status: 200,
              body: JSON.stringify({ user_name: role, backend_roles: [role], roles: ['all_access'] }),
              type,
            }
          : { status: 200, body: ROOT, type },
      );
      expect(osCodes(r)).toEqual(['OS-OK:pass', 'OS-FGAC-USER:info']);
      expect(r.finding('OS-OK')?.details).toMatchObject({ distribution: 'opensearch', version: '2.11.0' });
    }
  });

  it('IMDS fallback: FGAC sees the node role', async () => {
    const node = `arn:aws:iam::${ACCT}:role/eks-node-role`;
    const env = await eks.podEnv({ omit: ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE'] });
    const r = await osRun(
      (path) =>
        path.endsWith('/api/account')
          ? { status: 200, body: JSON.stringify({ user_name: node, backend_roles: [node], roles: [] }) }
          : {
              status: 403,
              body: JSON.stringify({
                error: {
                  root_cause: [
                    {
                      type: 'security_exception',
                      reason: `no permissions for [cluster:monitor/main] and User [name=${node}, backend_roles=[${node}], requestedTenant=null]`,
                    },
                  ],
                },
                status: 403,
              }),
            },
      env,
    );
    expect(osCodes(r)).toContain('OS-NODE-ROLE:fail');
  });

  it('node role seen in an IAM denial with an instance session name', async () => {
    const text = `User: arn:aws:sts::${ACCT}:assumed-role/eks-node-role/i-0abc1234def567890 is not authorized to perform: es:ESHttpGet because no resource-based policy allows the es:ESHttpGet action`;
    const env = await eks.podEnv({ omit: ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE'] });
    const r = await osRun(denyAll(JSON.stringify({ Message: text })), env);
    expect(osCodes(r)).toEqual(['OS-ACCESS-POLICY:fail', 'OS-NODE-ROLE:fail']);
  });
});

// ---------- broken endpoints ----------

describe('reachability against broken endpoints', () => {
  const pg = async (endpoint: string) => {
    const run = await runAgent(await eks.podEnv(), [
      ...ONLY_PG,
      '--postgres',
      endpoint,
      '--postgres-user',
      'zeebe',
      '--postgres-ca',
      eks.ca.caFile,
    ]);
    expect(run.report.checks.every((c) => c.status !== 'error')).toBe(true);
    return run;
  };
  const os = async (url: string) => {
    const run = await runAgent(await eks.podEnv(), ['--only', 'opensearch', '--opensearch', url]);
    expect(run.check('opensearch')?.status).not.toBe('error');
    return run;
  };
  const first = (r: AgentRun, id: string) => r.check(id)?.findings[0]?.code;

  it('NXDOMAIN (.invalid)', async () => {
    const p = await pg('aurora.camunda.invalid:5432');
    expect(first(p, 'postgres-reachability')).toBe('NET-DNS');
    expect(first(p, 'postgres')).toBe('NET-DNS');
    const o = await os('https://search-camunda.invalid');
    expect(first(o, 'opensearch')).toBe('NET-DNS');
  });

  it('closed port', async () => {
    const port = await freePort();
    const p = await pg(`127.0.0.1:${port}`);
    expect(first(p, 'postgres-reachability')).toBe('NET-REFUSED');
    expect(first(p, 'postgres')).toBe('NET-REFUSED');
    const o = await os(`https://127.0.0.1:${port}`);
    expect(first(o, 'opensearch')).toBe('NET-REFUSED');
  });

  it('accepts TCP and never answers', async () => {
    const s = await silentServer();
    try {
      const p = await pg(`127.0.0.1:${s.port}`);
      expect(first(p, 'postgres-reachability')).toBe('NET-TIMEOUT');
      expect(first(p, 'postgres')).toBe('NET-TIMEOUT');
      const o = await os(`https://127.0.0.1:${s.port}`);
      expect(first(o, 'opensearch')).toBe('NET-TIMEOUT');
    } finally {
      await s.close();
    }
  });

  it('answers S to SSLRequest, then never completes the handshake', async () => {
    const s = await silentServer({ afterSsl: 'S' });
    try {
      const p = await pg(`127.0.0.1:${s.port}`);
      expect(first(p, 'postgres-reachability')).toBe('NET-TIMEOUT');
      expect(first(p, 'postgres')).toBe('NET-TIMEOUT');
    } finally {
      await s.close();
    }
  });

  it('OpenSearch: TLS completes, the HTTP request is never answered', async () => {
    const server = await silentHttpsServer(cert);
    try {
      const port = server.port;
      const run = await runAgent(await eks.podEnv(), [
        '--only',
        'opensearch',
        '--opensearch',
        `https://127.0.0.1:${port}`,
        '--timeout',
        '6',
      ]);
      expect(run.check('opensearch')?.status).toBe('fail');
      expect(first(run, 'opensearch')).toBe('NET-TIMEOUT');
    } finally {
      await server.close();
    }
  });

  for (const kind of ['expired', 'other host'] as const) {
    it(`TLS certificate for ${kind === 'expired' ? 'a past period' : 'another host name'}`, async () => {
      const bad =
        kind === 'expired'
          ? await eks.ca.issue(['127.0.0.1', 'localhost'], {
              notBefore: new Date(Date.now() - 20 * 86400_000),
              notAfter: new Date(Date.now() - 10 * 86400_000),
            })
          : await eks.ca.issue(['db.other.example']);
      const peer = await startPgPeer(bad, () => ({
        ssl: 'S',
        query: rdsQueries({ rdsIam: true, connect: true, create: true }),
      }));
      const https = await startHttpsPeer(bad, () => ({ status: 200, body: ROOT }));
      try {
        const p = await pg(peer.endpoint);
        expect(first(p, 'postgres-reachability')).toBe('NET-TLS');
        expect(first(p, 'postgres')).toBe('NET-TLS');
        expect(peer.seen.every((v) => v.passwordLength === undefined)).toBe(true);
        const o = await os(https.url);
        expect(first(o, 'opensearch')).toBe('NET-TLS');
      } finally {
        await peer.close();
        await https.close();
      }
    });
  }
});
