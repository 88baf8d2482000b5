// Drives the emulator with the real OpenSearch client and its aws4-based signer over HTTPS, so every
// assertion is about what that client would see from a real domain.
import { Client } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IamAccount, type IssuedCredentials, type PolicyDocument } from './iam.js';
import { type OpenSearchServer, startOpenSearch } from './opensearch.js';
import { createTestCa, type TestCa } from './tls-ca.js';

const ACCT = '111122223333';
const DOMAIN_ARN = `arn:aws:es:eu-west-1:${ACCT}:domain/camunda`;

let ca: TestCa;
let tls: { certPem: string; keyPem: string };
const iam = new IamAccount({ accountId: ACCT });
const allowEsHttp = (resource: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['es:ESHttp*'], Resource: [resource] }],
});
const camundaRole = iam.roleArn('camunda-opensearch');
const otherRole = iam.roleArn('other-app', '/apps/');
const nodeRole = iam.roleArn('eks-node-group-20240101');
const bareRole = iam.roleArn('no-policies');
const openPolicy: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'es:*', Resource: `${DOMAIN_ARN}/*` }],
};
const onlyCamundaPolicy: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: [camundaRole] }, Action: 'es:*', Resource: `${DOMAIN_ARN}/*` },
  ],
};

const servers: OpenSearchServer[] = [];
const clients: Client[] = [];

beforeAll(async () => {
  ca = await createTestCa();
  tls = await ca.issue(['127.0.0.1']);
  const trust = { Version: '2012-10-17', Statement: [] };
  iam.addRole({ arn: camundaRole, trustPolicy: trust, policies: [allowEsHttp(`${DOMAIN_ARN}/*`)] });
  iam.addRole({ arn: otherRole, trustPolicy: trust, policies: [] });
  iam.addRole({ arn: nodeRole, trustPolicy: trust, policies: [allowEsHttp('*')] });
  iam.addRole({ arn: bareRole, trustPolicy: trust, policies: [] });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(() => ca.cleanup());

async function domain(opts: Partial<Parameters<typeof startOpenSearch>[0]> = {}): Promise<OpenSearchServer> {
  const s = await startOpenSearch({ iam, tls, ...opts });
  servers.push(s);
  return s;
}

function signed(
  url: string,
  creds: Pick<IssuedCredentials, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>,
  opts: { region?: string; service?: 'es' | 'aoss' } = {},
): Client {
  const { accessKeyId, secretAccessKey, sessionToken } = creds;
  const client = new Client({
    ...AwsSigv4Signer({
      region: opts.region ?? 'eu-west-1',
      service: opts.service ?? 'es',
      getCredentials: () => Promise.resolve({ accessKeyId, secretAccessKey, sessionToken }),
    }),
    node: url,
    ssl: { ca: ca.caCertPem },
    maxRetries: 0,
  });
  clients.push(client);
  return client;
}

function unsigned(url: string): Client {
  const client = new Client({ node: url, ssl: { ca: ca.caCertPem }, maxRetries: 0 });
  clients.push(client);
  return client;
}

/** The ResponseError the client throws, reduced to what a check reads. */
// biome-ignore lint/suspicious/noExplicitAny: bodies are asserted structurally, as a check would read them
async function failure(p: Promise<unknown>): Promise<{ statusCode: number; body: any }> {
  try {
    await p;
  } catch (e) {
    const meta = (e as { meta?: { statusCode: number; body: unknown } }).meta;
    if (meta) return { statusCode: meta.statusCode, body: meta.body };
    throw e;
  }
  throw new Error('request unexpectedly succeeded');
}

const account = (c: Client) =>
  c.transport.request({ method: 'GET', path: '/_plugins/_security/api/account' });
const session = (role: string, name = 'sess', source: IssuedCredentials['source'] = 'web-identity') =>
  iam.issueCredentials(role, name, source);

describe('managed domain with fine-grained access control', () => {
  const fgacDomain = () =>
    domain({
      accessPolicy: openPolicy,
      fgac: { enabled: true, roleMappings: { all_access: { backend_roles: [camundaRole] } } },
    });

  it('answers GET /, cluster health and the account API for a mapped role', async () => {
    const os = await fgacDomain();
    const client = signed(os.url, session(camundaRole));
    const info = await client.info();
    expect(info.statusCode).toBe(200);
    expect(info.body.cluster_name).toBe(`${ACCT}:camunda`);
    expect(info.body.version.distribution).toBe('opensearch');
    expect(info.body.version.number).toBe('2.17.0');
    const health = await client.cluster.health();
    expect(health.body.status).toBe('green');
    const me = await account(client);
    expect(me.body).toMatchObject({
      user_name: camundaRole,
      backend_roles: [camundaRole],
      roles: ['all_access'],
      is_internal_user: false,
    });
    const legacy = await client.transport.request({
      method: 'GET',
      path: '/_opendistro/_security/api/account',
    });
    expect(legacy.body.user_name).toBe(camundaRole);
    expect(os.requests.map((r) => [r.reason, r.principal])).toEqual(
      Array(4).fill(['ok', `arn:aws:sts::${ACCT}:assumed-role/camunda-opensearch/sess`]),
    );
  });

  it('refuses an unmapped role with the security_exception naming the role ARN and the action', async () => {
    const os = await fgacDomain();
    const client = signed(os.url, session(otherRole));
    const user = `User [name=${otherRole}, backend_roles=[${otherRole}], requestedTenant=null]`;
    const e = await failure(client.info());
    expect(e.statusCode).toBe(403);
    expect(e.body).toEqual({
      error: {
        root_cause: [
          { type: 'security_exception', reason: `no permissions for [cluster:monitor/main] and ${user}` },
        ],
        type: 'security_exception',
        reason: `no permissions for [cluster:monitor/main] and ${user}`,
      },
      status: 403,
    });
    const h = await failure(client.cluster.health());
    expect(h.body.error.reason).toBe(`no permissions for [cluster:monitor/health] and ${user}`);
    expect(os.requests.at(-1)).toMatchObject({
      reason: 'fgac-no-permissions',
      action: 'cluster:monitor/health',
    });
    // Mapping the role fixes it without a restart, as the rolesmapping API does.
    os.setRoleMapping('readall', { backend_roles: [otherRole] });
    expect((await client.info()).statusCode).toBe(200);
  });

  it('shows the node role as the FGAC user when the pod fell back to IMDS', async () => {
    const os = await fgacDomain();
    const client = signed(os.url, session(nodeRole, 'i-0abc1234def567890', 'imds'));
    const e = await failure(client.info());
    expect(e.body.error.root_cause[0].reason).toContain(
      `User [name=${nodeRole}, backend_roles=[${nodeRole}]`,
    );
    const me = await account(client);
    expect(me.body).toMatchObject({ user_name: nodeRole, backend_roles: [nodeRole], roles: [] });
  });

  it('answers 401 to an unsigned request when anonymous auth is off', async () => {
    const os = await fgacDomain();
    const e = await failure(unsigned(os.url).info());
    expect(e.statusCode).toBe(401);
    expect(os.requests[0]).toMatchObject({ principal: 'anonymous', reason: 'fgac-unauthenticated' });
  });
  it('lets unsigned requests in as the anonymous user when anonymous auth is on', async () => {
    const os = await domain({
      accessPolicy: openPolicy,
      anonymousAuthEnabled: true,
      fgac: {
        enabled: true,
        roleMappings: { readall: { backend_roles: ['opendistro_security_anonymous_backendrole'] } },
      },
    });
    expect((await unsigned(os.url).info()).statusCode).toBe(200);
    const e = await failure(unsigned(os.url).indices.create({ index: 'x' }));
    expect(e.body.error.reason).toBe(
      'no permissions for [indices:admin/create] and User [name=opendistro_security_anonymous, backend_roles=[opendistro_security_anonymous_backendrole], requestedTenant=null]',
    );
  });
});

describe('managed domain IAM layer', () => {
  it('refuses a principal the domain access policy does not name (resource-based)', async () => {
    const os = await domain({ accessPolicy: onlyCamundaPolicy });
    const e = await failure(signed(os.url, session(otherRole, 'pod-1')).info());
    expect(e.statusCode).toBe(403);
    expect(e.body).toEqual({
      Message: `User: arn:aws:sts::${ACCT}:assumed-role/other-app/pod-1 is not authorized to perform: es:ESHttpGet because no resource-based policy allows the es:ESHttpGet action`,
    });
    // The named role gets in, and so does a role whose own identity policy allows it (same account).
    expect((await signed(os.url, session(camundaRole)).info()).statusCode).toBe(200);
    expect((await signed(os.url, session(nodeRole)).info()).statusCode).toBe(200);
    expect(os.requests.map((r) => r.reason)).toEqual(['no-resource-policy-allows', 'ok', 'ok']);
  });

  it('blames the identity policy when there is no access policy, or it only names the account', async () => {
    const os = await domain();
    const e = await failure(signed(os.url, session(bareRole)).info());
    expect(e.body).toEqual({
      Message: `User: arn:aws:sts::${ACCT}:assumed-role/no-policies/sess is not authorized to perform: es:ESHttpGet because no identity-based policy allows the es:ESHttpGet action`,
    });
    os.setAccessPolicy({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCT}:root` },
          Action: 'es:ESHttp*',
          Resource: `${DOMAIN_ARN}/*`,
        },
      ],
    });
    const put = await failure(signed(os.url, session(bareRole)).indices.create({ index: 'probe' }));
    expect(put.body.Message).toContain(
      'es:ESHttpPut because no identity-based policy allows the es:ESHttpPut action',
    );
    expect((await signed(os.url, session(camundaRole)).info()).statusCode).toBe(200);
  });

  it('reports an explicit deny in the access policy', async () => {
    const os = await domain({
      accessPolicy: {
        Version: '2012-10-17',
        Statement: [
          ...openPolicy.Statement,
          {
            Effect: 'Deny',
            Principal: { AWS: [camundaRole] },
            Action: 'es:ESHttpGet',
            Resource: `${DOMAIN_ARN}/*`,
          },
        ],
      },
    });
    const e = await failure(signed(os.url, session(camundaRole)).info());
    expect(e.body.Message).toBe(
      `User: arn:aws:sts::${ACCT}:assumed-role/camunda-opensearch/sess is not authorized to perform: es:ESHttpGet with an explicit deny in a resource-based policy`,
    );
  });

  it('admits unsigned requests from an IP the access policy allows', async () => {
    const os = await domain({
      accessPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 'es:ESHttpGet',
            Resource: `${DOMAIN_ARN}/*`,
            Condition: { IpAddress: { 'aws:SourceIp': ['127.0.0.0/8'] } },
          },
        ],
      },
    });
    expect((await unsigned(os.url).info()).statusCode).toBe(200);
    os.setAccessPolicy({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'es:ESHttpGet',
          Resource: `${DOMAIN_ARN}/*`,
          Condition: { IpAddress: { 'aws:SourceIp': ['192.0.2.0/24'] } },
        },
      ],
    });
    expect((await failure(unsigned(os.url).info())).statusCode).toBe(403);
  });

  it('refuses an unsigned request as anonymous', async () => {
    const os = await domain({ accessPolicy: onlyCamundaPolicy });
    const e = await failure(unsigned(os.url).info());
    expect(e).toEqual({
      statusCode: 403,
      body: {
        Message:
          'User: anonymous is not authorized to perform: es:ESHttpGet because no resource-based policy allows the es:ESHttpGet action',
      },
    });
    expect(os.requests[0]).toMatchObject({ principal: 'anonymous', reason: 'anonymous-denied' });
  });

  it('answers the security API without FGAC the way a domain without the security plugin does', async () => {
    const os = await domain({ accessPolicy: onlyCamundaPolicy });
    const e = await failure(account(signed(os.url, session(camundaRole))));
    expect(e).toEqual({
      statusCode: 400,
      body: { error: 'no handler found for uri [/_plugins/_security/api/account] and method [GET]' },
    });
  });
});

describe('managed domain SigV4 checks', () => {
  it('rejects a request signed for the aoss service', async () => {
    const os = await domain({ accessPolicy: onlyCamundaPolicy });
    const e = await failure(signed(os.url, session(camundaRole), { service: 'aoss' }).info());
    expect(e).toEqual({
      statusCode: 403,
      body: { message: "Credential should be scoped to correct service: 'es'. " },
    });
  });

  it('rejects a request signed for another region', async () => {
    const os = await domain({ accessPolicy: onlyCamundaPolicy });
    const e = await failure(signed(os.url, session(camundaRole), { region: 'us-east-1' }).info());
    expect(e.body).toEqual({ message: "Credential should be scoped to a valid region, not 'us-east-1'. " });
    expect(os.requests[0].reason).toBe('scope-mismatch');
  });

  it('rejects a wrong secret key and an unknown access key', async () => {
    const os = await domain({ accessPolicy: onlyCamundaPolicy });
    const good = session(camundaRole);
    const bad = await failure(
      signed(os.url, { ...good, secretAccessKey: `${good.secretAccessKey}x` }).info(),
    );
    expect(bad.body).toEqual({
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    });
    const unknown = await failure(signed(os.url, { ...good, accessKeyId: 'ASIAUNKNOWNUNKNOWN00' }).info());
    expect(unknown.body).toEqual({ message: 'The security token included in the request is invalid.' });
    expect(os.requests.map((r) => r.reason)).toEqual(['bad-signature', 'unknown-key']);
  });

  it('verifies the Host header as sent (the signer drops the port) and a signed body', async () => {
    const os = await domain({ accessPolicy: onlyCamundaPolicy });
    const client = signed(os.url, session(camundaRole));
    await client.index({ index: 'camunda-probe', id: '1', body: { ok: true }, refresh: true });
    const found = await client.search({ index: 'camunda-probe', body: { query: { match_all: {} } } });
    expect(found.body.hits.hits[0]._source).toEqual({ ok: true });
  });
});

describe('serverless collection (aoss)', () => {
  const collectionPolicy = (arn: string): PolicyDocument => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'aoss:APIAccessAll', Resource: arn }],
  });

  it('serves the data APIs to a principal in the data access policy, and 404 on GET /', async () => {
    const os = await domain({ service: 'aoss', dataAccessPrincipals: [camundaRole] });
    iam.getRole(camundaRole)!.policies.push(collectionPolicy(os.arn));
    const client = signed(os.url, session(camundaRole), { service: 'aoss' });
    const cat = await client.cat.indices({ format: 'json' });
    expect(cat.statusCode).toBe(200);
    expect((await failure(client.info())).statusCode).toBe(404);
  });

  it('answers Forbidden when the data access policy or aoss:APIAccessAll is missing', async () => {
    const os = await domain({ service: 'aoss', dataAccessPrincipals: [camundaRole] });
    iam.getRole(nodeRole)!.policies.push(collectionPolicy(os.arn));
    const e = await failure(signed(os.url, session(nodeRole), { service: 'aoss' }).cat.indices());
    expect(e.statusCode).toBe(403);
    expect(e.body).toMatchObject({ status: 403, error: { reason: '403 Forbidden', type: 'Forbidden' } });
    expect(e.body['request-id']).toMatch(/^[0-9a-f-]{36}$/);
    os.setDataAccessPrincipals([camundaRole, otherRole]);
    await failure(signed(os.url, session(otherRole), { service: 'aoss' }).cat.indices());
    await failure(signed(os.url, session(nodeRole), { service: 'es' }).cat.indices());
    expect(os.requests.map((r) => r.reason)).toEqual([
      'aoss-no-data-access',
      'aoss-no-identity-policy',
      'scope-mismatch',
    ]);
  });
});
