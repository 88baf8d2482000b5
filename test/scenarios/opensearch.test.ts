// The opensearch check through the real CLI, against the loopback domain/collection (HTTPS with the stack's CA,
// trusted via NODE_EXTRA_CA_CERTS) and the loopback EKS identity stack. One `it` per failure mode.
import { createServer } from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type EksStack, startEksStack } from '../harness/eks-stack.js';
import { listenLoopback } from '../harness/http-util.js';
import { closedPort, startBlackhole } from '../harness/net-fixtures.js';
import { type OpenSearchOptions, type OpenSearchServer, startOpenSearch } from '../harness/opensearch.js';
import { schemaErrors } from '../support/report-schema.js';
import { runAgent } from '../support/run-agent.js';

let stack: EksStack;
let tls: { certPem: string; keyPem: string };
const servers: OpenSearchServer[] = [];
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  stack = await startEksStack();
  tls = await stack.ca.issue(['127.0.0.1']);
});
afterEach(async () => {
  await Promise.all([...servers.splice(0).map((s) => s.close()), ...closers.splice(0).map((c) => c())]);
  stack.role.policies.length = 0;
});
afterAll(() => stack?.close());

async function opensearch(opts: Partial<OpenSearchOptions> = {}): Promise<OpenSearchServer> {
  const s = await startOpenSearch({ iam: stack.iam, region: stack.region, tls, ...opts });
  servers.push(s);
  return s;
}

/** The usual Camunda domain: the access policy names the app role, FGAC maps it to all_access. */
async function camundaDomain(
  opts: { mapped?: boolean; policyPrincipal?: string } = {},
): Promise<OpenSearchServer> {
  const s = await opensearch({
    fgac: {
      enabled: true,
      roleMappings: opts.mapped === false ? {} : { all_access: { backend_roles: [stack.roleArn] } },
    },
  });
  s.setAccessPolicy({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: opts.policyPrincipal ?? stack.roleArn },
        Action: 'es:ESHttp*',
        Resource: `${s.arn}/*`,
      },
    ],
  });
  return s;
}

const check = (url: string, ...extra: string[]) => ['--only', 'opensearch', '--opensearch', url, ...extra];

/**
 * Something in front of the endpoint (a proxy, a gateway, another emulator) that labels a plain-text answer as
 * JSON: the client cannot parse the body, and the answer must still become a finding.
 */
async function mislabelledJson(status: number, text: string): Promise<{ url: string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.resume();
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(text);
  });
  const l = await listenLoopback(server);
  closers.push(l.close);
  return { url: `https://127.0.0.1:${l.port}`, hits };
}

describe('opensearch check', () => {
  it('healthy: signed GET / answers and FGAC sees the IRSA role ARN as user and backend role', async () => {
    const s = await camundaDomain();
    const run = await runAgent(await stack.podEnv(), check(s.url));
    expect(run.check('opensearch')?.status).toBe('info');
    expect(run.finding('OS-OK')).toMatchObject({
      status: 'pass',
      details: { distribution: 'opensearch', version: '2.17.0' },
    });
    expect(run.finding('OS-FGAC-USER')).toMatchObject({
      status: 'info',
      details: { userName: stack.roleArn, backendRoles: [stack.roleArn], roles: ['all_access'] },
    });
    expect(run.finding('OS-NODE-ROLE')).toBeUndefined();
    expect(run.code).toBe(0);
    expect(s.requests.every((r) => r.decision === 'allowed')).toBe(true);
  });

  it('DEBUG=* in the pod: the OpenSearch client logs nothing past the redaction (its `debug` logger is off)', async () => {
    const s = await camundaDomain();
    const run = await runAgent({ ...(await stack.podEnv()), DEBUG: '*' }, check(s.url));
    expect(run.finding('OS-OK')?.status).toBe('pass');
    // The client's logger would print "opensearch Starting a new request" with the request's headers.
    expect(run.stderr).not.toMatch(/opensearch|Starting a new request|authorization/i);
  });

  it('FGAC role not mapped: the fix maps the role ARN, not the assumed-role session ARN', async () => {
    const s = await camundaDomain({ mapped: false });
    const run = await runAgent(await stack.podEnv(), check(s.url));
    const f = run.finding('OS-FGAC-UNMAPPED');
    expect(f?.status).toBe('fail');
    expect(f?.details).toMatchObject({ fgacUser: stack.roleArn, action: 'cluster:monitor/main' });
    expect(f?.remediation).toContain(`"value":"${stack.roleArn}"`);
    expect(f?.remediation).toContain('/_plugins/_security/api/rolesmapping/all_access');
    expect(f?.remediation).not.toMatch(/"value":"arn:aws:sts::/);
    expect(run.finding('OS-FGAC-USER')?.details).toMatchObject({ roles: [] });
    expect(run.finding('OS-OK')).toBeUndefined();
    expect(run.code).toBe(1);
  });

  it('FGAC maps the role to a role without the permission: the finding names the mapped roles', async () => {
    const s = await opensearch({
      fgac: {
        enabled: true,
        roles: { camunda_indices: ['indices:data/*'] },
        roleMappings: { camunda_indices: { backend_roles: [stack.roleArn] } },
      },
    });
    stack.allow('es:ESHttp*', `${s.arn}/*`);
    const run = await runAgent(await stack.podEnv(), check(s.url));
    const f = run.finding('OS-FGAC-UNMAPPED');
    expect(f).toMatchObject({
      status: 'fail',
      details: { fgacRoles: ['camunda_indices'], action: 'cluster:monitor/main' },
    });
    expect(run.code).toBe(1);
  });

  it('domain access policy names another principal: OS-ACCESS-POLICY with the statement to add', async () => {
    const s = await camundaDomain({ policyPrincipal: stack.iam.roleArn('someone-else') });
    const run = await runAgent(await stack.podEnv(), check(s.url));
    const f = run.finding('OS-ACCESS-POLICY');
    expect(f?.status).toBe('fail');
    expect(f?.remediation).toContain(
      `{"Effect":"Allow","Principal":{"AWS":"${stack.roleArn}"},"Action":"es:ESHttp*"`,
    );
    expect(f?.remediation).toContain('update-domain-config');
    expect(run.code).toBe(1);
  });

  it('no access policy and no es:ESHttp* on the role: OS-IDENTITY-POLICY', async () => {
    const s = await opensearch();
    const run = await runAgent(await stack.podEnv(), check(s.url));
    const f = run.finding('OS-IDENTITY-POLICY');
    expect(f?.status).toBe('fail');
    expect(f?.remediation).toContain('put-role-policy --role-name irsa-doctor-app');
    expect(f?.remediation).toContain('es:ESHttp*');
    expect(run.code).toBe(1);
  });

  it('the role policy grants es:ESHttp*: a domain without FGAC passes with no FGAC user', async () => {
    const s = await opensearch();
    stack.allow('es:ESHttp*', `${s.arn}/*`);
    const run = await runAgent(await stack.podEnv(), check(s.url));
    expect(run.finding('OS-OK')).toMatchObject({
      status: 'pass',
      details: { fineGrainedAccessControl: false },
    });
    expect(run.finding('OS-FGAC-USER')).toBeUndefined();
    expect(run.code).toBe(0);
  });

  it('signing for aoss against a managed domain: OS-SIGNATURE names the service the domain expects', async () => {
    const s = await camundaDomain();
    const run = await runAgent(await stack.podEnv(), check(s.url, '--opensearch-service', 'aoss'));
    const f = run.finding('OS-SIGNATURE');
    expect(f).toMatchObject({ status: 'fail', details: { signedService: 'aoss', expectedService: 'es' } });
    expect(f?.remediation).toContain('--opensearch-service es');
    expect(run.code).toBe(1);
  });

  it('no IRSA and IMDS answering: OpenSearch sees the node role -> OS-NODE-ROLE, and the fix does not map the node role', async () => {
    const s = await opensearch({ fgac: { enabled: true, roleMappings: {} } });
    s.setAccessPolicy({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'es:ESHttp*', Resource: `${s.arn}/*` }],
    });
    const env = await stack.podEnv({ omit: ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE'] });
    const run = await runAgent(env, check(s.url));
    const node = run.finding('OS-NODE-ROLE');
    expect(node?.status).toBe('fail');
    expect(node?.details).toMatchObject({
      nodeRole: stack.nodeRoleArn,
      credentialSource: 'imds',
      see: 'CHAIN-IMDS-FALLBACK',
    });
    expect(node?.message).toContain('see CHAIN-IMDS-FALLBACK');
    const unmapped = run.finding('OS-FGAC-UNMAPPED');
    expect(unmapped?.details).toMatchObject({ fgacUser: stack.nodeRoleArn });
    expect(unmapped?.remediation).not.toContain(stack.nodeRoleArn);
    expect(run.code).toBe(1);
  });

  it('403 labelled application/json with a plain-text body: a classified finding, not a crashed check', async () => {
    const es = await mislabelledJson(403, 'Forbidden');
    const run = await runAgent(await stack.podEnv(), check(es.url));
    const c = run.check('opensearch');
    expect(c?.status).toBe('fail');
    expect(c?.error).toBeUndefined();
    expect(c?.findings).toHaveLength(1);
    expect(c?.findings[0]?.code).toMatch(/^OS-(HTTP-ERROR|SIGNATURE|AOSS-FORBIDDEN)$/);
    expect(c?.findings[0]?.details).toMatchObject({ httpStatus: 403, response: 'Forbidden' });
    expect(es.hits).toEqual(['GET /']);
    expect(schemaErrors(run.report)).toEqual([]);
    expect(run.code).toBe(1);

    const aoss = await mislabelledJson(403, 'Forbidden');
    const serverless = await runAgent(await stack.podEnv(), check(aoss.url, '--opensearch-service', 'aoss'));
    expect(serverless.finding('OS-AOSS-FORBIDDEN')).toMatchObject({
      status: 'fail',
      details: { httpStatus: 403 },
    });
    expect(serverless.check('opensearch')?.status).toBe('fail');
  });

  // Issue 9: an answer that does not look like OpenSearch is a finding about that peer, never OS-OK.
  it('200 labelled application/json with a body that is not JSON: OS-NOT-OPENSEARCH, not OS-OK', async () => {
    const s = await mislabelledJson(200, 'OK');
    const run = await runAgent(await stack.podEnv(), check(s.url));
    expect(run.check('opensearch')?.status).toBe('fail');
    expect(run.finding('OS-OK')).toBeUndefined();
    expect(run.finding('OS-NOT-OPENSEARCH')).toMatchObject({ status: 'fail', details: { httpStatus: 200 } });
    expect(run.code).toBe(1);
  });

  it('closed port: NET-REFUSED, no signed request', async () => {
    const port = await closedPort();
    const run = await runAgent(await stack.podEnv(), check(`https://127.0.0.1:${port}`));
    expect(run.finding('NET-REFUSED')?.status).toBe('fail');
    expect(run.finding('OS-OK')).toBeUndefined();
    expect(run.code).toBe(1);
  });

  it('blackholed endpoint: one step deadline becomes a NET-* finding, not a crashed check', async () => {
    const hole = await startBlackhole();
    try {
      const run = await runAgent(await stack.podEnv(), [
        ...check(`https://${hole.host}:${hole.port}`),
        '--timeout',
        '4',
      ]);
      const c = run.check('opensearch');
      expect(c?.status).toBe('fail');
      // The blackhole accepts TCP and never answers: the TLS handshake is what times out.
      expect(c?.findings).toHaveLength(1);
      expect(c?.findings[0]?.code).toMatch(/^NET-/);
      expect(c?.findings[0]?.details).toMatchObject({ phase: 'tls', errno: 'timeout' });
      expect(run.code).toBe(1);
    } finally {
      await hole.close();
    }
  });

  it('Serverless collection with the role in its data access policy: GET _cat/indices passes', async () => {
    const s = await opensearch({ service: 'aoss', dataAccessPrincipals: [stack.roleArn] });
    stack.allow('aoss:APIAccessAll', s.arn);
    const run = await runAgent(await stack.podEnv(), check(s.url, '--opensearch-service', 'aoss'));
    expect(run.finding('OS-OK')?.status).toBe('pass');
    expect(run.code).toBe(0);
  });

  it('Serverless collection without a data access policy for the role: OS-AOSS-FORBIDDEN', async () => {
    const s = await opensearch({ service: 'aoss', dataAccessPrincipals: [] });
    stack.allow('aoss:APIAccessAll', s.arn);
    const run = await runAgent(await stack.podEnv(), check(s.url, '--opensearch-service', 'aoss'));
    const f = run.finding('OS-AOSS-FORBIDDEN');
    expect(f?.status).toBe('fail');
    expect(f?.remediation).toContain(stack.roleArn);
    expect(run.code).toBe(1);
  });

  it('signing for es against a Serverless collection: its opaque 403 becomes OS-SIGNATURE naming aoss', async () => {
    const s = await opensearch({ service: 'aoss', dataAccessPrincipals: [stack.roleArn] });
    stack.allow('aoss:APIAccessAll', s.arn);
    const run = await runAgent(await stack.podEnv(), check(s.url));
    expect(run.finding('OS-SIGNATURE')).toMatchObject({
      status: 'fail',
      details: { signedService: 'es', expectedService: 'aoss' },
    });
    expect(run.code).toBe(1);
  });

  it('no credentials at all (no IRSA, IMDS disabled): OS-NO-CREDENTIALS, the endpoint is still probed', async () => {
    const s = await camundaDomain();
    const env = await stack.podEnv({
      omit: ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE'],
      extra: { AWS_EC2_METADATA_DISABLED: 'true' },
    });
    const run = await runAgent(env, check(s.url));
    expect(run.check('opensearch')?.findings.map((f) => [f.code, f.status])).toEqual([
      ['OS-NO-CREDENTIALS', 'fail'],
    ]);
    expect(s.requests).toHaveLength(0);
    expect(run.code).toBe(1);
  });

  it('no --opensearch target: a single skip', async () => {
    const run = await runAgent(await stack.podEnv(), ['--only', 'opensearch']);
    expect(run.check('opensearch')?.findings.map((f) => [f.code, f.status])).toEqual([
      ['OS-NO-TARGET', 'skip'],
    ]);
    expect(run.code).toBe(0);
  });
});
