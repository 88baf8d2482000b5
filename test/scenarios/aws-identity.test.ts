// The AWS-side identity checks (sts, identity, chain, imds, pod-identity) through the real CLI against
// the loopback EKS stack: one test per failure mode, asserting codes, statuses and the exit code.
import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, openSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type EksStack, type EksStackOptions, startEksStack } from '../harness/eks-stack.js';
import { closedPort, startBlackhole } from '../harness/net-fixtures.js';
import { runAgent } from '../support/run-agent.js';

const only = (ids: string) => ['--only', ids];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function stack(opts: EksStackOptions = {}): Promise<EksStack> {
  const s = await startEksStack(opts);
  cleanups.push(() => s.close());
  return s;
}

const NO_IRSA = ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_STS_REGIONAL_ENDPOINTS'];

describe('healthy IRSA', () => {
  it('exchanges the token, confirms the role, chain uses web identity, IMDS blocked', async () => {
    // Hop limit 1 with HttpTokens required: the token PUT dies at the hop limit and v1 is refused.
    const s = await stack({ imdsMode: 'hop-limit-v1-disabled' });
    const run = await runAgent(await s.podEnv(), only('sts,identity,chain,imds,pod-identity'));
    expect(run.finding('STS-OK')?.status).toBe('pass');
    expect(run.finding('STS-OK')?.details?.endpointSource).toBe('AWS_ENDPOINT_URL_STS');
    expect(run.finding('IDENTITY-OK')?.status).toBe('pass');
    expect(run.finding('CHAIN-SOURCE')?.status).toBe('info');
    expect(run.finding('CHAIN-SOURCE')?.details).toMatchObject({ source: 'web-identity', isNodeRole: false });
    expect(run.finding('IMDS-BLOCKED')?.status).toBe('pass');
    expect(run.finding('PODID-SKIPPED')?.status).toBe('skip');
    expect(run.code).toBe(0);
    // STS saw our session name, and never any credentials leave the report.
    expect(s.sts.requests.some((r) => r.params.RoleSessionName?.startsWith('irsa-doctor-'))).toBe(true);
    expect(run.stdout).not.toMatch(/SecretAccessKey|IQoJb3JpZ2luX2Vj/);
  });

  it('a role with a path is the same role as its assumed-role session (not a mismatch)', async () => {
    const s = await stack({ imdsMode: 'hop-limit-v1-disabled' });
    const pathed = s.iam.roleArn('irsa-doctor-team-app', '/team/apps/');
    s.iam.addRole({ arn: pathed, trustPolicy: s.healthyTrustPolicy(), policies: [] });
    const run = await runAgent(await s.podEnv({ roleArn: pathed }), only('sts,identity,chain'));
    expect(run.finding('STS-OK')?.details?.assumedRoleArn).toMatch(/assumed-role\/irsa-doctor-team-app\//);
    expect(run.finding('IDENTITY-OK')?.status).toBe('pass');
    expect(run.findings.map((f) => f.code)).not.toContain('CHAIN-OTHER-IDENTITY');
    expect(run.code).toBe(0);
  });
});

describe('STS refusals', () => {
  it('no IAM OIDC provider for the issuer', async () => {
    const s = await stack();
    s.iam.removeOidcProvider(s.issuer.issuerHost);
    const run = await runAgent(await s.podEnv(), only('sts,identity,chain'));
    const f = run.finding('STS-NO-OIDC-PROVIDER');
    expect(f?.status).toBe('fail');
    expect(f?.remediation).toContain(`aws iam create-open-id-connect-provider --url ${s.issuer.issuerUrl}`);
    expect(f?.remediation).toMatch(/wrong region or partition/);
    expect(run.finding('IDENTITY-SKIPPED')?.status).toBe('skip');
    expect(run.finding('CHAIN-FAILED')?.details?.cause).toBe('STS-NO-OIDC-PROVIDER');
    expect(run.code).toBe(1);
  });

  it('provider audience does not include sts.amazonaws.com', async () => {
    const s = await stack();
    s.iam.addOidcProvider({
      url: s.issuer.issuerHost,
      clientIds: ['other.example.com'],
      thumbprints: [s.ca.thumbprint],
    });
    const run = await runAgent(await s.podEnv(), only('sts'));
    const f = run.finding('STS-AUDIENCE');
    expect(f?.status).toBe('fail');
    expect(f?.remediation).toContain('aws iam add-client-id-to-open-id-connect-provider');
    expect(f?.remediation).toContain(s.iam.oidcProviderArn(s.issuer.issuerHost));
    expect(run.code).toBe(1);
  });

  it('provider thumbprint does not match the issuer certificate', async () => {
    const s = await stack();
    s.iam.addOidcProvider({
      url: s.issuer.issuerHost,
      clientIds: ['sts.amazonaws.com'],
      thumbprints: ['0'.repeat(40)],
    });
    const run = await runAgent(await s.podEnv(), only('sts'));
    expect(run.finding('STS-THUMBPRINT')?.status).toBe('fail');
    expect(run.finding('STS-THUMBPRINT')?.remediation).toContain(
      'update-open-id-connect-provider-thumbprint',
    );
    expect(run.code).toBe(1);
  });

  it('issuer down for STS: signing keys cannot be fetched', async () => {
    const s = await stack();
    s.issuer.setDown(true, '503');
    const run = await runAgent(await s.podEnv(), only('sts'));
    const f = run.finding('STS-JWKS-UNREACHABLE');
    expect(f?.status).toBe('fail');
    expect(f?.details).toMatchObject({ jwks: 'unreachable', stsError: { code: 'IDPCommunicationError' } });
    expect(run.code).toBe(1);
  });

  it('trust policy names another ServiceAccount: prints the statement that admits this token', async () => {
    const s = await stack();
    const host = s.issuer.issuerHost;
    s.role.trustPolicy.Statement[0]!.Condition!.StringEquals![`${host}:sub`] =
      'system:serviceaccount:camunda:other-sa';
    const run = await runAgent(await s.podEnv(), only('sts,identity,chain'));
    const f = run.finding('STS-TRUST-POLICY');
    expect(f?.status).toBe('fail');
    expect(f?.remediation).toContain(`"${host}:sub": "system:serviceaccount:camunda:zeebe-sa"`);
    expect(f?.remediation).toContain(`"${host}:aud": "sts.amazonaws.com"`);
    expect(f?.remediation).toContain(`"Federated": "${s.iam.oidcProviderArn(host)}"`);
    expect(f?.remediation).toContain('aws iam update-assume-role-policy --role-name irsa-doctor-app');
    expect(run.finding('CHAIN-FAILED')?.details?.cause).toBe('STS-TRUST-POLICY');
    expect(run.code).toBe(1);
  });

  it('trust policy remediation uses the token audience, not always sts.amazonaws.com', async () => {
    const s = await stack();
    const host = s.issuer.issuerHost;
    s.iam.addOidcProvider({
      url: host,
      clientIds: ['sts.amazonaws.com', 'custom-aud'],
      thumbprints: [s.ca.thumbprint],
    });
    s.role.trustPolicy.Statement[0]!.Condition!.StringEquals![`${host}:aud`] = 'sts.amazonaws.com';
    const env = await s.podEnv({ tokenOpts: { audience: ['custom-aud'] } });
    const run = await runAgent(env, ['--audience', 'custom-aud', ...only('sts')]);
    const f = run.finding('STS-TRUST-POLICY');
    expect(f?.status).toBe('fail');
    expect(f?.remediation).toContain(`"${host}:aud": "custom-aud"`);
    expect(f?.remediation).not.toContain(`"${host}:aud": "sts.amazonaws.com"`);
  });

  it('provider lacks the custom token audience: add that audience as client id', async () => {
    const s = await stack();
    const env = await s.podEnv({ tokenOpts: { audience: ['custom-aud'] } });
    const run = await runAgent(env, only('sts'));
    const f = run.finding('STS-AUDIENCE');
    expect(f?.status).toBe('fail');
    expect(f?.remediation).toContain(
      `aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${s.iam.oidcProviderArn(s.issuer.issuerHost)} --client-id custom-aud`,
    );
  });

  it('role ARN with an extra colon', async () => {
    const s = await stack();
    const bad = 'arn:aws:iam::::111122223333:role/irsa-doctor-app';
    const run = await runAgent(await s.podEnv({ roleArn: bad }), only('sts'));
    const f = run.finding('STS-INVALID-ARN');
    expect(f?.status).toBe('fail');
    expect(f?.remediation).toContain(
      'eks.amazonaws.com/role-arn=arn:aws:iam::111122223333:role/irsa-doctor-app',
    );
    expect(run.code).toBe(1);
  });

  it('expired token', async () => {
    const s = await stack();
    const run = await runAgent(
      await s.podEnv({ tokenOpts: { expiresInSeconds: -120 } }),
      only('sts,identity'),
    );
    expect(run.finding('STS-TOKEN-EXPIRED')?.status).toBe('fail');
    expect(run.finding('IDENTITY-SKIPPED')?.status).toBe('skip');
    expect(run.code).toBe(1);
  });

  it('STS deactivated in the region', async () => {
    const s = await stack({ stsDisabled: true });
    const run = await runAgent(await s.podEnv(), only('sts'));
    const f = run.finding('STS-REGION-DISABLED');
    expect(f?.status).toBe('fail');
    expect(f?.remediation).toContain('eu-west-1');
    expect(run.code).toBe(1);
  });

  it('skips when there is no token to exchange', async () => {
    const s = await stack();
    const run = await runAgent(await s.podEnv({ omit: NO_IRSA }), only('sts,identity'));
    expect(run.finding('STS-SKIPPED')?.status).toBe('skip');
    expect(run.finding('IDENTITY-SKIPPED')?.status).toBe('skip');
  });
});

describe('STS unreachable', () => {
  it('closed port: connection refused', async () => {
    const s = await stack();
    const port = await closedPort();
    const env = await s.podEnv({ extra: { AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${port}` } });
    const run = await runAgent(env, only('sts,identity'));
    const f = run.finding('STS-UNREACHABLE');
    expect(f?.status).toBe('fail');
    expect(f?.details?.network).toBe('refused');
    expect(f?.remediation).toContain('AWS_ENDPOINT_URL_STS');
    expect(run.code).toBe(1);
  });

  it('TLS to the endpoint fails: certificate not trusted', async () => {
    const s = await stack();
    const env = await s.podEnv({
      omit: ['NODE_EXTRA_CA_CERTS'],
      extra: { AWS_ENDPOINT_URL_STS: new URL(s.issuer.issuerUrl).origin },
    });
    const run = await runAgent(env, only('sts'));
    expect(run.finding('STS-UNREACHABLE')?.details?.network).toBe('tls');
    expect(run.finding('STS-UNREACHABLE')?.remediation).toContain('NODE_EXTRA_CA_CERTS');
  });

  it('every endpoint blackholed: --timeout 3 still yields a report with STS-UNREACHABLE', async () => {
    const s = await stack();
    const hole = await startBlackhole();
    cleanups.push(() => hole.close());
    const url = `http://${hole.host}:${hole.port}`;
    const env = await s.podEnv({
      extra: { AWS_ENDPOINT_URL_STS: url, AWS_EC2_METADATA_SERVICE_ENDPOINT: url },
    });
    const run = await runAgent(env, ['--timeout', '3', ...only('sts,identity,chain,imds')]);
    const sts = run.check('sts');
    expect(sts?.findings.map((f) => f.code)).toEqual(['STS-UNREACHABLE']);
    expect(sts?.findings[0]?.details?.network).toBe('timeout');
    expect(run.check('chain')?.status).toBe('fail');
    expect(run.finding('IMDS-BLOCKED')?.status).toBe('pass');
    expect(hole.connections()).toBeGreaterThan(0);
    expect(run.code).toBe(1);
  });
});

/** A loopback HTTP server that answers every request with one fixed response, like a proxy would. */
async function fixedAnswer(status: number, contentType: string, body: string): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': contentType });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('something else answers in place of STS', () => {
  const BAD_GATEWAY =
    '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n';

  it.each([
    ['an HTML 502 from a proxy', 502, 'text/html', BAD_GATEWAY],
    ['an HTML 502 that is not even well-formed', 502, 'text/html', '<html><body>502<hr></body></html>'],
    ['HTTP 200 with garbage', 200, 'text/xml', '<<<garbage'],
  ])('%s: STS-UNREACHABLE (bad gateway), never "Unknown"', async (_label, status, type, body) => {
    const s = await stack();
    const url = await fixedAnswer(status, type, body);
    const run = await runAgent(
      await s.podEnv({ extra: { AWS_ENDPOINT_URL_STS: url } }),
      only('sts,identity,chain'),
    );
    const f = run.finding('STS-UNREACHABLE');
    expect(f?.status).toBe('fail');
    expect(f?.details?.network).toBe('bad-gateway');
    expect(f?.message).toContain(`HTTP ${status} from ${url}, not an STS answer`);
    expect(f?.remediation).toContain('NO_PROXY');
    expect(f?.remediation).toContain('AWS_ENDPOINT_URL_STS');
    expect(run.finding('CHAIN-FAILED')?.details?.cause).toBe('STS-UNREACHABLE');
    for (const x of run.findings) {
      expect(x.message).not.toMatch(/\bUnknown\b|\$response|Deserialization error/);
      expect(x.message).not.toContain('\n');
      expect(x.message).not.toContain('..');
    }
    expect(run.code).toBe(1);
  });
});

/** Something at AWS_ENDPOINT_URL_STS that forwards to STS but asks for another role. */
async function roleRewritingProxy(target: string, otherRoleArn: string): Promise<string> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      const params = new URLSearchParams(body.toString('utf8'));
      if (params.get('Action') === 'AssumeRoleWithWebIdentity') {
        params.set('RoleArn', otherRoleArn);
        body = Buffer.from(params.toString());
      }
      const headers = { ...req.headers, 'content-length': String(body.length) };
      const up = httpRequest(`${target}${req.url ?? '/'}`, { method: req.method, headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.destroy());
      up.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('identity', () => {
  it('credentials for another role than AWS_ROLE_ARN are a mismatch', async () => {
    const s = await stack();
    const other = s.iam.roleArn('some-other-app');
    s.iam.addRole({ arn: other, trustPolicy: s.healthyTrustPolicy(), policies: [] });
    const proxy = await roleRewritingProxy(s.sts.url, other);
    const run = await runAgent(
      await s.podEnv({ extra: { AWS_ENDPOINT_URL_STS: proxy } }),
      only('sts,identity'),
    );
    expect(run.finding('STS-OK')?.status).toBe('pass');
    const f = run.finding('IDENTITY-MISMATCH');
    expect(f?.status).toBe('fail');
    expect(f?.details?.callerArn).toMatch(/assumed-role\/some-other-app\//);
    expect(run.code).toBe(1);
  });
});

describe('default chain and IMDS', () => {
  it('no IRSA env and IMDSv2 answering: the app would run as the node role', async () => {
    const s = await stack({ imdsMode: 'v2' });
    const run = await runAgent(await s.podEnv({ omit: NO_IRSA }), only('chain,imds'));
    expect(run.finding('CHAIN-SOURCE')?.details).toMatchObject({ source: 'imds', isNodeRole: true });
    expect(run.finding('CHAIN-SOURCE')?.details?.callerArn).toMatch(
      /assumed-role\/eksctl-irsa-doctor-nodegroup-NodeInstanceRole-1A2B3C4D5E6F\/i-/,
    );
    expect(run.finding('CHAIN-IMDS-FALLBACK')?.status).toBe('fail');
    expect(run.finding('CHAIN-IMDS-FALLBACK')?.remediation).toMatch(/hop-limit 1/);
    expect(run.finding('IMDS-REACHABLE')?.status).toBe('warn');
    expect(run.finding('IMDS-V1-REACHABLE')?.status).toBe('warn');
    expect(run.code).toBe(1);
  });

  it('IMDSv2 only: reachable, but v1 refused', async () => {
    const s = await stack({ imdsMode: 'v2-only' });
    const run = await runAgent(await s.podEnv({ omit: NO_IRSA }), only('chain,imds'));
    expect(run.finding('CHAIN-IMDS-FALLBACK')?.status).toBe('fail');
    expect(run.finding('IMDS-REACHABLE')?.status).toBe('warn');
    expect(run.finding('IMDS-V1-REACHABLE')).toBeUndefined();
    expect(run.finding('IMDS-REACHABLE')?.details?.nodeRoleName).toBe(
      'eksctl-irsa-doctor-nodegroup-NodeInstanceRole-1A2B3C4D5E6F',
    );
  });

  it('hop limit 1 with IMDSv1 allowed: the SDK falls back to v1 and gets the node role', async () => {
    const s = await stack({ imdsMode: 'hop-limit' });
    const run = await runAgent(await s.podEnv({ omit: NO_IRSA }), only('chain,imds'));
    // The v2 PUT hangs, but v1 still hands out the node role: reachable, and the worse kind.
    expect(run.finding('IMDS-V1-REACHABLE')?.status).toBe('warn');
    expect(run.finding('IMDS-REACHABLE')?.status).toBe('warn');
    expect(run.finding('IMDS-BLOCKED')).toBeUndefined();
    expect(run.finding('CHAIN-IMDS-FALLBACK')?.status).toBe('fail');
    // The credentials document itself was only ever requested by the SDK chain, never by the probe.
    const credentialGets = s.imds.requests.filter((r) => /security-credentials\/.+/.test(r.path));
    expect(credentialGets).toHaveLength(1);
  });

  it('IMDS blocked and no IRSA: no credentials at all', async () => {
    const s = await stack({ imdsMode: 'hop-limit-v1-disabled' });
    const run = await runAgent(await s.podEnv({ omit: NO_IRSA }), only('chain,imds'));
    expect(run.finding('CHAIN-NO-CREDENTIALS')?.status).toBe('fail');
    expect(run.finding('IMDS-BLOCKED')?.status).toBe('pass');
    expect(run.code).toBe(1);
  });

  it('AWS_EC2_METADATA_DISABLED is reported, and the chain skips IMDS', async () => {
    const s = await stack({ imdsMode: 'v2' });
    const env = await s.podEnv({ omit: NO_IRSA, extra: { AWS_EC2_METADATA_DISABLED: 'true' } });
    const run = await runAgent(env, only('chain,imds'));
    expect(run.finding('IMDS-SDK-DISABLED')?.status).toBe('info');
    expect(run.finding('CHAIN-NO-CREDENTIALS')?.status).toBe('fail');
  });

  it('static keys shadow IRSA: the chain runs as another identity', async () => {
    const s = await stack({ imdsMode: 'hop-limit-v1-disabled' });
    const key = s.iam.issueStaticKey('arn:aws:iam::111122223333:user/ci-deployer');
    const env = await s.podEnv({
      extra: { AWS_ACCESS_KEY_ID: key.accessKeyId, AWS_SECRET_ACCESS_KEY: key.secretAccessKey },
    });
    const run = await runAgent(env, only('sts,chain'));
    expect(run.finding('STS-OK')?.status).toBe('pass');
    expect(run.finding('CHAIN-SOURCE')?.details).toMatchObject({
      source: 'env',
      callerArn: 'arn:aws:iam::111122223333:user/ci-deployer',
    });
    expect(run.finding('CHAIN-OTHER-IDENTITY')?.status).toBe('fail');
    expect(run.stdout).not.toContain(key.secretAccessKey);
    expect(run.code).toBe(1);
  });
});

describe('EKS Pod Identity', () => {
  const podIdentity = async (mode: 'ok' | 'bad-request' | 'access-denied' | 'hang') => {
    const s = await stack({ imdsMode: 'hop-limit-v1-disabled', podIdentity: { mode } });
    return { s, env: await s.podEnv({ mechanism: 'pod-identity' }) };
  };

  it('agent hands out the association role', async () => {
    const { s, env } = await podIdentity('ok');
    const run = await runAgent(env, only('sts,chain,pod-identity'));
    expect(run.finding('PODID-OK')?.status).toBe('pass');
    expect(run.finding('PODID-OK')?.details?.callerArn).toMatch(
      /assumed-role\/irsa-doctor-pod-identity\/eks-/,
    );
    expect(run.finding('CHAIN-SOURCE')?.details).toMatchObject({ source: 'container', isNodeRole: false });
    expect(run.finding('STS-SKIPPED')?.status).toBe('skip');
    expect(s.podIdentity?.requests.some((r) => r.status === 200)).toBe(true);
    expect(run.code).toBe(0);
  });

  it('agent answers 400', async () => {
    const { env } = await podIdentity('bad-request');
    const run = await runAgent(env, only('pod-identity'));
    expect(run.finding('PODID-BAD-REQUEST')?.status).toBe('fail');
    expect(run.code).toBe(1);
  });

  it('agent answers 403', async () => {
    const { env } = await podIdentity('access-denied');
    const run = await runAgent(env, only('pod-identity'));
    const f = run.finding('PODID-ACCESS-DENIED');
    expect(f?.status).toBe('fail');
    expect(f?.remediation).toContain('pods.eks.amazonaws.com');
    expect(f?.remediation).toContain('sts:TagSession');
    expect(run.code).toBe(1);
  });

  it.each([
    'bad-request',
    'access-denied',
  ] as const)('agent answers %s: the chain points at the pod-identity check, not at annotating the ServiceAccount', async (mode) => {
    const { env } = await podIdentity(mode);
    const run = await runAgent(env, only('chain,pod-identity'));
    const f = run.findings.find((x) => x.code === 'CHAIN-NO-CREDENTIALS' || x.code === 'CHAIN-FAILED');
    expect(f?.status).toBe('fail');
    expect(f?.remediation).toContain('pod-identity check');
    expect(f?.remediation).not.toMatch(/kubectl annotate sa|create-pod-identity-association/);
    expect(run.code).toBe(1);
  });

  it('half an IRSA pair: CHAIN-NO-CREDENTIALS points at the env findings', async () => {
    const s = await stack({ imdsMode: 'hop-limit-v1-disabled' });
    const run = await runAgent(await s.podEnv({ omit: ['AWS_WEB_IDENTITY_TOKEN_FILE'] }), only('chain'));
    const f = run.finding('CHAIN-NO-CREDENTIALS');
    expect(f?.status).toBe('fail');
    expect(f?.remediation).toContain('ENV-PARTIAL');
    expect(f?.remediation).not.toContain('kubectl annotate sa');
  });

  it('agent never answers: unreachable, and the chain does not hang the run', async () => {
    const { env } = await podIdentity('hang');
    const run = await runAgent(env, ['--timeout', '5', ...only('chain,pod-identity')]);
    expect(run.finding('PODID-UNREACHABLE')?.status).toBe('fail');
    expect(run.finding('PODID-UNREACHABLE')?.remediation).toContain('NO_PROXY');
    expect(run.finding('CHAIN-FAILED')?.details?.reason).toBe('container-unreachable');
    expect(run.code).toBe(1);
  });
});

describe('a token path that is no token file', () => {
  // The SDK reads the token files synchronously and without a bound: a FIFO would block the run
  // forever and /dev/zero or a huge file would eat memory. The run must end with findings.
  const paths: Record<string, (dir: string) => string> = {
    fifo: (dir) => {
      const p = join(dir, 'fifo-token');
      execFileSync('mkfifo', [p]);
      return p;
    },
    'character device': () => '/dev/zero',
    'huge sparse file': (dir) => {
      const p = join(dir, 'huge-token');
      const fd = openSync(p, 'w');
      ftruncateSync(fd, 100 * 1024 * 1024);
      closeSync(fd);
      return p;
    },
  };
  for (const mechanism of ['irsa', 'pod-identity'] as const)
    for (const [kind, make] of Object.entries(paths))
      it(`${mechanism}: a ${kind} ends in token findings and CHAIN-FAILED, not a hang`, {
        timeout: 15_000,
      }, async () => {
        const s = await stack({ imdsMode: 'hop-limit-v1-disabled', podIdentity: {} });
        const envVar =
          mechanism === 'irsa' ? 'AWS_WEB_IDENTITY_TOKEN_FILE' : 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE';
        const env = await s.podEnv({ mechanism, extra: { [envVar]: make(s.tmpDir) } });
        const run = await runAgent(env, ['--timeout', '3']);
        const token = run.findings.find(
          (f) => f.code === 'TOKEN-FILE-UNREADABLE' || f.code === 'TOKEN-MALFORMED',
        );
        expect(token?.status).toBe('fail');
        expect(run.finding('CHAIN-FAILED')?.status).toBe('fail');
        expect(run.finding('CHAIN-FAILED')?.remediation).toContain('token-file check');
        expect(
          run.report.checks.filter((c) => c.status === 'error').map((c) => `${c.id}: ${c.error}`),
        ).toEqual([]);
        expect(run.code).toBe(1);
      });
});
