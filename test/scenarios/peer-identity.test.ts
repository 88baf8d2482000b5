// The identity checks against peers that are NOT our harness (alt-identity-peers.ts): same REFERENCE, other
// wire details. Each test names the finding code the documented peer answer must produce.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort } from '../harness/net-fixtures.js';
import { createTestCa } from '../harness/tls-ca.js';
import {
  ACCOUNT,
  type AltStsOptions,
  type Answer,
  NODE_ARN,
  type Peer,
  startAltImds,
  startAltIssuer,
  startAltPodIdentity,
  startAltSts,
  stsError,
} from '../peers/identity-peers.js';
import { runAgent } from '../support/run-agent.js';

const ISSUER = 'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/alt-app`;
// Everything but the oidc check, which would fetch the (non-loopback) EKS issuer.
const CHECKS = ['--only', 'env,role-arn,token-file,token-claims,sts,identity,chain,imds,pod-identity'];

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
function track<T extends Peer>(p: T): T {
  cleanups.push(() => p.close());
  return p;
}

const keys = generateKeyPair('RS256');

async function mint(claims: { iss?: string; aud?: string[]; expIn?: number } = {}): Promise<string> {
  const { privateKey, publicKey } = await keys;
  const now = Math.floor(Date.now() / 1000);
  const kid = ((await exportJWK(publicKey)).n ?? 'k').slice(0, 16);
  return new SignJWT({
    'kubernetes.io': {
      namespace: 'ns',
      serviceaccount: { name: 'sa', uid: '0b5b0e2c-1111-2222-3333-444455556666' },
      pod: { name: 'app-7d9f-x2', uid: '9c1d5c2e-1111-2222-3333-444455556666' },
    },
  })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(claims.iss ?? ISSUER)
    .setSubject('system:serviceaccount:ns:sa')
    .setAudience(claims.aud ?? ['sts.amazonaws.com'])
    .setIssuedAt(now - 60)
    .setNotBefore(now - 60)
    .setExpirationTime(now + (claims.expIn ?? 86400))
    .sign(privateKey);
}

interface PodOpts {
  sts?: string;
  imds?: string;
  podIdentity?: string;
  irsa?: boolean;
  token?: string;
  roleArn?: string;
}

async function pod(o: PodOpts): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'alt-identity-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const env: Record<string, string> = {
    HOME: dir,
    AWS_REGION: 'us-west-2',
    AWS_EC2_METADATA_SERVICE_ENDPOINT: o.imds ?? `http://127.0.0.1:${await closedPort()}`,
  };
  if (o.sts) env.AWS_ENDPOINT_URL_STS = o.sts;
  if (o.irsa !== false) {
    const file = join(dir, 'token');
    writeFileSync(file, o.token ?? (await mint()));
    Object.assign(env, { AWS_ROLE_ARN: o.roleArn ?? ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: file });
  }
  if (o.podIdentity) {
    const file = join(dir, 'eks-pod-identity-token');
    writeFileSync(file, await mint({ aud: ['pods.eks.amazonaws.com'] }));
    Object.assign(env, {
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${o.podIdentity}/v1/credentials`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: file,
    });
  }
  return env;
}

async function stsRun(assume: (p: URLSearchParams) => Answer, extra: Partial<PodOpts> = {}) {
  const sts = track(await startAltSts({ assume }));
  return runAgent(await pod({ sts: sts.url, ...extra }), CHECKS);
}

function noCrash(run: Awaited<ReturnType<typeof runAgent>>) {
  const crashed = run.report.checks.filter((c) => c.status === 'error');
  expect(crashed.map((c) => `${c.id}: ${JSON.stringify(c.findings)}`)).toEqual([]);
}

const PHRASES: Array<[string, number, string, string]> = [
  [
    'STS-NO-OIDC-PROVIDER',
    400,
    'InvalidIdentityToken',
    `No OpenIDConnect provider found in your account for ${ISSUER}`,
  ],
  ['STS-AUDIENCE', 400, 'InvalidIdentityToken', 'Incorrect token audience'],
  [
    'STS-THUMBPRINT',
    400,
    'InvalidIdentityToken',
    "OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint",
  ],
  [
    'STS-JWKS-UNREACHABLE',
    400,
    'IDPCommunicationError',
    "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
  ],
  [
    'STS-JWKS-UNREACHABLE',
    400,
    'InvalidIdentityToken',
    "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
  ],
  ['STS-TRUST-POLICY', 403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity'],
  ['STS-INVALID-ARN', 400, 'ValidationError', 'Request ARN is invalid'],
  [
    'STS-TOKEN-EXPIRED',
    400,
    'ExpiredTokenException',
    'Token expired: current date/time 1718900000 must be before the expiration date/time 1718800000',
  ],
  [
    'STS-REGION-DISABLED',
    403,
    'RegionDisabledException',
    `STS is not activated in this region for account:${ACCOUNT}. Your account administrator can activate STS in this region using the IAM Console.`,
  ],
  ['STS-ERROR', 400, 'Throttling', 'Rate exceeded'],
];

describe('STS refusals from another STS emulator', () => {
  for (const style of ['typed', 'untyped', 'rid-inside'] as const)
    for (const [code, status, stsCode, message] of PHRASES)
      it(`${stsCode} "${message.slice(0, 40)}" (${style}) -> ${code}`, async () => {
        const run = await stsRun(() => stsError(status, stsCode, message, style));
        noCrash(run);
        expect(run.finding(code)?.status).toBe('fail');
        expect(run.finding('IDENTITY-SKIPPED')?.status).toBe('skip');
        expect(run.code).toBe(1);
      });

  it('the CLI wording "An error occurred (X) when calling ..." inside Message still classifies', async () => {
    const run = await stsRun(() =>
      stsError(
        400,
        'InvalidIdentityToken',
        'An error occurred (InvalidIdentityToken) when calling the AssumeRoleWithWebIdentity operation: Incorrect token audience',
      ),
    );
    expect(run.finding('STS-AUDIENCE')?.status).toBe('fail');
  });
});

describe('the seed document cases end to end', () => {
  it('ARN with an extra colon, STS "Request ARN is invalid" -> STS-INVALID-ARN and the role-arn check', async () => {
    const r = await stsRun(() => stsError(400, 'ValidationError', 'Request ARN is invalid'), {
      roleArn: 'arn:aws:iam::::1234567890:role/example',
    });
    noCrash(r);
    expect(r.finding('STS-INVALID-ARN')?.status).toBe('fail');
    expect(r.finding('ARN-INVALID')?.status).toBe('fail');
  });

  it('expired token, STS ExpiredTokenException -> STS-TOKEN-EXPIRED and TOKEN-EXPIRED', async () => {
    const token = await mint({ expIn: -3600 });
    const r = await stsRun(
      () =>
        stsError(
          400,
          'ExpiredTokenException',
          `Token expired: current date/time ${Math.floor(Date.now() / 1000)} must be before the expiration date/time ${Math.floor(Date.now() / 1000) - 3600}`,
        ),
      { token },
    );
    noCrash(r);
    expect(r.finding('STS-TOKEN-EXPIRED')?.status).toBe('fail');
    expect(r.finding('TOKEN-EXPIRED')?.status).toBe('fail');
  });
});

describe('STS not answering', () => {
  it('closed port -> STS-UNREACHABLE', async () => {
    const run = runAgent(await pod({ sts: `http://127.0.0.1:${await closedPort()}` }), CHECKS);
    const r = await run;
    noCrash(r);
    expect(r.finding('STS-UNREACHABLE')?.status).toBe('fail');
  });

  it('connection closed without an answer -> STS-UNREACHABLE reset, not a timeout', async () => {
    const r = await stsRun(() => 'close');
    noCrash(r);
    const f = r.finding('STS-UNREACHABLE');
    expect(f?.status).toBe('fail');
    // The SDK names ECONNRESET "TimeoutError"; the report must still say the peer closed it.
    expect(f?.details?.network).toBe('reset');
    expect(r.finding('CHAIN-FAILED')?.details?.reason).not.toBe('timeout');
  });

  it('an answer that never comes -> STS-UNREACHABLE within the run deadline', async () => {
    const sts = track(await startAltSts({ assume: () => 'hang' }));
    const r = await runAgent(await pod({ sts: sts.url }), [...CHECKS, '--timeout', '4']);
    noCrash(r);
    expect(r.finding('STS-UNREACHABLE')?.status).toBe('fail');
  });
});

describe('identity and the chain', () => {
  it('healthy IRSA against the other STS: STS-OK, IDENTITY-OK, CHAIN-SOURCE web identity, IMDS-BLOCKED', async () => {
    const imds = track(await startAltImds('hop-limit-v1-401'));
    const r = await stsRunWith({}, { imds: imds.url });
    noCrash(r);
    expect(r.finding('STS-OK')?.status).toBe('pass');
    expect(r.finding('IDENTITY-OK')?.status).toBe('pass');
    expect(r.finding('CHAIN-SOURCE')?.details).toMatchObject({ source: 'web-identity' });
    expect(r.finding('IMDS-BLOCKED')?.status).toBe('pass');
    expect(r.code).toBe(0);
  });

  it('GetCallerIdentity names the node role -> IDENTITY-MISMATCH', async () => {
    const r = await stsRunWith({ caller: () => NODE_ARN });
    noCrash(r);
    expect(r.finding('IDENTITY-MISMATCH')?.status).toBe('fail');
    // The SDK's evidence says web identity won: another identity, but not an IMDS fallback.
    expect(r.finding('CHAIN-SOURCE')?.details).toMatchObject({ source: 'web-identity', isNodeRole: false });
    expect(r.finding('CHAIN-OTHER-IDENTITY')?.status).toBe('fail');
    expect(r.finding('CHAIN-IMDS-FALLBACK')).toBeUndefined();
    expect(r.code).toBe(1);
  });

  it('no IRSA, IMDS v1 and v2 answer: CHAIN-IMDS-FALLBACK, IMDS-REACHABLE, IMDS-V1-REACHABLE', async () => {
    const imds = track(await startAltImds('v1-and-v2'));
    const r = await stsRunWith({}, { imds: imds.url, irsa: false });
    noCrash(r);
    expect(r.finding('CHAIN-SOURCE')?.details).toMatchObject({ callerArn: NODE_ARN });
    expect(r.finding('CHAIN-IMDS-FALLBACK')?.status).toBe('fail');
    expect(r.finding('IMDS-REACHABLE')?.status).toBe('warn');
    expect(r.finding('IMDS-V1-REACHABLE')?.status).toBe('warn');
    expect(r.code).toBe(1);
  });

  it('no IRSA, hop limit with v1 allowed: CHAIN-IMDS-FALLBACK via v1', async () => {
    const imds = track(await startAltImds('hop-limit-v1-ok'));
    const r = await stsRunWith({}, { imds: imds.url, irsa: false });
    noCrash(r);
    expect(r.finding('CHAIN-IMDS-FALLBACK')?.status).toBe('fail');
    expect(r.finding('IMDS-V1-REACHABLE')?.status).toBe('warn');
  });

  it('no IRSA, hop limit and v1 refused: IMDS-BLOCKED, CHAIN-NO-CREDENTIALS', async () => {
    const imds = track(await startAltImds('hop-limit-v1-401'));
    const r = await stsRunWith({}, { imds: imds.url, irsa: false });
    noCrash(r);
    expect(r.finding('IMDS-BLOCKED')?.status).toBe('pass');
    expect(r.finding('CHAIN-NO-CREDENTIALS')?.status).toBe('fail');
  });

  it('IMDS that closes every connection: IMDS-BLOCKED', async () => {
    const imds = track(await startAltImds('close'));
    const r = await stsRunWith({}, { imds: imds.url });
    noCrash(r);
    expect(r.finding('IMDS-BLOCKED')?.status).toBe('pass');
    expect(r.finding('STS-OK')?.status).toBe('pass');
  });
});

describe('Pod Identity agent variants', () => {
  for (const [variant, code] of [
    ['ok', 'PODID-OK'],
    ['bad-request-text', 'PODID-BAD-REQUEST'],
    ['access-denied-json', 'PODID-ACCESS-DENIED'],
    ['close', 'PODID-UNREACHABLE'],
    ['hang', 'PODID-UNREACHABLE'],
    ['server-error-json', 'PODID-ERROR'],
  ] as const)
    it(`${variant} -> ${code}`, async () => {
      const agent = track(await startAltPodIdentity(variant));
      const r = await stsRunWith({}, { podIdentity: agent.url, irsa: false });
      noCrash(r);
      expect(r.finding(code)?.status).toBe(variant === 'ok' ? 'pass' : 'fail');
      if (variant === 'access-denied-json') expect(r.finding(code)?.message).toContain('Access Denied');
      if (variant === 'ok') expect(r.finding('CHAIN-SOURCE')?.details).toMatchObject({ source: 'container' });
    });
});

describe('OIDC issuer variants (all checks)', () => {
  async function issuerRun(
    o: { https: boolean; trailingSlash?: boolean; jwks?: 'ok' | 'missing' },
    assume?: (iss: string) => Answer,
  ) {
    const { publicKey } = await keys;
    const jwk = { ...(await exportJWK(publicKey)), kid: await kidOf() };
    let tls: { certPem: string; keyPem: string } | undefined;
    const extra: Record<string, string> = {};
    if (o.https) {
      const ca = await createTestCa();
      cleanups.push(() => ca.cleanup());
      tls = await ca.issue(['127.0.0.1']);
      extra.NODE_EXTRA_CA_CERTS = ca.caFile;
    }
    const issuer = await startAltIssuer({ jwk, tls, trailingSlash: o.trailingSlash, jwks: o.jwks });
    cleanups.push(() => issuer.close());
    const sts = track(await startAltSts(assume ? { assume: () => assume(issuer.iss) } : {}));
    const env = { ...(await pod({ sts: sts.url, token: await mint({ iss: issuer.iss }) })), ...extra };
    const run = await runAgent(env);
    noCrash(run);
    return { run, issuer };
  }
  const noProvider = (iss: string) =>
    stsError(400, 'InvalidIdentityToken', `No OpenIDConnect provider found in your account for ${iss}`);

  it('issuer over plain HTTP -> OIDC-ISSUER-INVALID and STS-NO-OIDC-PROVIDER asking for an https issuer', async () => {
    const { run, issuer } = await issuerRun({ https: false }, noProvider);
    expect(run.finding('OIDC-ISSUER-INVALID')?.status).toBe('fail');
    const f = run.finding('STS-NO-OIDC-PROVIDER');
    expect(f?.status).toBe('fail');
    // IAM has no http providers: the fix is the issuer, never `create-open-id-connect-provider --url http://`.
    expect(f?.remediation).toContain('--service-account-issuer');
    expect(f?.remediation).not.toContain(`--url ${issuer.iss}`);
    expect(f?.remediation).not.toMatch(/oidc-provider\/http/);
    expect(run.code).toBe(1);
  });

  it('issuer with a trailing slash -> STS-NO-OIDC-PROVIDER naming the slash', async () => {
    const { run } = await issuerRun({ https: true, trailingSlash: true }, noProvider);
    expect(run.finding('OIDC-OK')?.status).toBe('pass');
    const f = run.finding('STS-NO-OIDC-PROVIDER');
    expect(f?.status).toBe('fail');
    expect(f?.remediation).toMatch(/ends with a slash/);
  });

  it('JWKS missing at the issuer, STS cannot fetch keys -> OIDC-UNREACHABLE, STS-JWKS-UNREACHABLE', async () => {
    const { run } = await issuerRun({ https: true, jwks: 'missing' }, () =>
      stsError(
        400,
        'IDPCommunicationError',
        "Couldn't retrieve verification key from your identity provider",
      ),
    );
    expect(run.finding('OIDC-UNREACHABLE')?.status).toBe('warn');
    expect(run.finding('STS-JWKS-UNREACHABLE')?.status).toBe('fail');
  });

  it('healthy https issuer and STS: every identity check passes, exit 0', async () => {
    const { run } = await issuerRun({ https: true });
    expect(run.finding('OIDC-OK')?.status).toBe('pass');
    expect(run.finding('STS-OK')?.status).toBe('pass');
    expect(run.finding('IDENTITY-OK')?.status).toBe('pass');
    expect(run.findings.filter((f) => f.status === 'fail')).toEqual([]);
    expect(run.code).toBe(0);
  });
});

async function kidOf(): Promise<string> {
  return ((await exportJWK((await keys).publicKey)).n ?? 'k').slice(0, 16);
}

async function stsRunWith(o: AltStsOptions, extra: Partial<PodOpts> = {}) {
  const sts = track(await startAltSts(o));
  return runAgent(await pod({ sts: sts.url, ...extra }), CHECKS);
}
