// Egress through an HTTP proxy, as in clusters whose only way out is a corporate proxy: the agent
// honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY like the AWS CLI for STS, the OIDC issuer, OpenSearch and
// the Pod Identity agent, never for IMDS, and says when a target answers only one way. The proxy is the
// harness's own (test/harness/connect-proxy.ts, written from the RFCs), never the library the product uses.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectProxy, startConnectProxy } from '../harness/connect-proxy.js';
import { type EksStack, startEksStack } from '../harness/eks-stack.js';
import { closedPort } from '../harness/net-fixtures.js';
import { type OpenSearchServer, startOpenSearch } from '../harness/opensearch.js';
import { type AgentRun, runAgent, runCli } from '../support/run-agent.js';

let stack: EksStack;
let search: OpenSearchServer;
const proxies: ConnectProxy[] = [];

beforeAll(async () => {
  stack = await startEksStack({ podIdentity: {} });
  const tls = await stack.ca.issue(['127.0.0.1']);
  search = await startOpenSearch({
    iam: stack.iam,
    region: stack.region,
    tls,
    accessPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: stack.roleArn },
          Action: 'es:ESHttp*',
          Resource: `arn:aws:es:${stack.region}:${stack.iam.accountId}:domain/camunda/*`,
        },
      ],
    },
  });
});
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});
afterAll(async () => {
  await search?.close();
  await stack?.close();
});

async function proxy(opts: Parameters<typeof startConnectProxy>[0] = {}): Promise<ConnectProxy> {
  const p = await startConnectProxy(opts);
  proxies.push(p);
  return p;
}

const authority = (url: string) => new URL(url).host;
const both = (url: string) => ({ HTTPS_PROXY: url, HTTP_PROXY: url });
const checkFindings = (run: AgentRun, id: string) => run.check(id)?.findings ?? [];
const codesOf = (run: AgentRun, id: string) => checkFindings(run, id).map((f) => `${f.code}:${f.status}`);

describe('requests through the proxy', () => {
  it('STS, the OIDC issuer, OpenSearch and Pod Identity go through the proxy; IMDS never does', async () => {
    const p = await proxy();
    const env = { ...(await stack.podEnv({ mechanism: 'both' })), ...both(p.url) };
    const run = await runAgent(env, ['--opensearch', search.url]);

    const via = { via: 'proxy', proxy: p.url };
    expect(run.finding('STS-OK')?.details?.proxy).toMatchObject({ ...via, variable: 'HTTP_PROXY' });
    expect(run.finding('STS-OK')?.message).toContain(`through the proxy ${p.url} (HTTP_PROXY)`);
    expect(run.finding('OIDC-OK')?.details?.proxy).toMatchObject({ ...via, variable: 'HTTPS_PROXY' });
    expect(run.finding('OS-OK')?.details?.proxy).toMatchObject({ ...via, variable: 'HTTPS_PROXY' });
    expect(run.finding('PODID-OK')?.details?.proxy).toMatchObject({ ...via, variable: 'HTTP_PROXY' });
    expect(run.finding('IDENTITY-OK')?.details?.proxy).toMatchObject(via);
    expect(run.finding('CHAIN-SOURCE')?.details?.proxy).toMatchObject(via);

    // What the proxy saw: a forwarded POST to STS, CONNECTs to the issuer and the domain, the agent's GET.
    const seen = p.requests.map((r) => `${r.method} ${r.target}`);
    expect(seen).toContain(`POST ${authority(stack.sts.url)}`);
    expect(seen).toContain(`CONNECT ${authority(stack.issuer.issuerUrl)}`);
    expect(seen).toContain(`CONNECT ${authority(search.url)}`);
    expect(seen).toContain(`GET ${authority(stack.podIdentity!.url)}`);
    // IMDS is asked directly, whatever the variables say: a proxy would answer with its own node's metadata.
    expect(p.targets()).not.toContain(authority(stack.imds.url));
    const imds = checkFindings(run, 'imds');
    expect(imds.length).toBeGreaterThan(0);
    for (const f of imds) expect(f.details?.proxy).toMatchObject({ via: 'direct', reason: 'metadata' });
    expect(stack.imds.requests.length).toBeGreaterThan(0);

    // Every target answers directly too, so no path-only finding.
    expect(run.findings.map((f) => f.code).filter((c) => c.startsWith('PROXY-'))).toEqual([]);
  });

  it('NO_PROXY is honoured per host and port: listed targets go direct, the rest through the proxy', async () => {
    const p = await proxy();
    const issuer = authority(stack.issuer.issuerUrl);
    const env = {
      ...(await stack.podEnv()),
      ...both(p.url),
      no_proxy: `localhost,${issuer},.svc`,
    };
    const run = await runAgent(env, ['--opensearch', search.url]);
    expect(run.finding('OIDC-OK')?.details?.proxy).toMatchObject({
      via: 'direct',
      reason: 'no-proxy',
      noProxyVariable: 'no_proxy',
      noProxyEntry: issuer,
      bypassedProxy: p.url,
    });
    expect(run.finding('OIDC-OK')?.message).toContain(
      `directly, not through HTTPS_PROXY (no_proxy lists ${issuer})`,
    );
    expect(p.targets()).not.toContain(issuer);
    expect(run.finding('STS-OK')?.details?.proxy).toMatchObject({ via: 'proxy' });
    expect(run.finding('OS-OK')?.details?.proxy).toMatchObject({ via: 'proxy' });
    expect(p.targets()).toContain(authority(search.url));
  });
});

describe('targets that answer only one way', () => {
  it('PROXY-ONLY: STS and OpenSearch answer through the proxy, which reaches what the pod cannot', async () => {
    // The proxy's own network view: ports that are closed for the pod lead it to STS and the domain.
    const [stsAlias, osAlias] = [await closedPort(), await closedPort()];
    const p = await proxy({
      routes: {
        [`127.0.0.1:${stsAlias}`]: authority(stack.sts.url),
        [`127.0.0.1:${osAlias}`]: authority(search.url),
      },
    });
    const env = {
      ...(await stack.podEnv()),
      ...both(p.url),
      AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${stsAlias}`,
    };
    const run = await runAgent(env, ['--opensearch', `https://127.0.0.1:${osAlias}`]);
    expect(codesOf(run, 'sts')).toEqual(['STS-OK:pass', 'PROXY-ONLY:warn']);
    expect(codesOf(run, 'opensearch')).toEqual(['OS-OK:pass', 'PROXY-ONLY:warn']);
    const only = checkFindings(run, 'opensearch').find((f) => f.code === 'PROXY-ONLY')!;
    expect(only.message).toMatch(/AWS SDK for Java/);
    expect(only.remediation).toContain(`-Dhttps.proxyHost=127.0.0.1 -Dhttps.proxyPort=${p.port}`);
    expect(only.remediation).toContain('-Dhttp.nonProxyHosts=');
    expect(only.details).toMatchObject({ direct: { errno: 'ECONNREFUSED' } });
  });

  it('PROXY-DIRECT-ONLY: the proxy refuses the domain, which answers directly', async () => {
    const p = await proxy({ deny: (target) => target === authority(search.url) });
    const env = { ...(await stack.podEnv()), ...both(p.url) };
    const run = await runAgent(env, ['--only', 'opensearch', '--opensearch', search.url]);
    expect(codesOf(run, 'opensearch')).toEqual(['PROXY-REFUSED:fail', 'PROXY-DIRECT-ONLY:warn']);
    const refused = run.finding('PROXY-REFUSED')!;
    expect(refused.message).toContain(
      `The proxy ${p.url} (HTTPS_PROXY) refused to connect to ${authority(search.url)}`,
    );
    expect(refused.remediation).toContain(`Allow ${authority(search.url)} on the proxy`);
    expect(run.finding('PROXY-DIRECT-ONLY')?.remediation).toContain('NO_PROXY');
    expect(run.finding('PROXY-DIRECT-ONLY')?.remediation).toContain('-Dhttp.nonProxyHosts');
    expect(run.finding('OS-OK')).toBeUndefined();
    expect(run.code).not.toBe(0);
  });
});

describe('a proxy that fails', () => {
  it('PROXY-UNREACHABLE: a proxy that is down is named, not the targets behind it', async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    const env = { ...(await stack.podEnv({ mechanism: 'both' })), ...both(down) };
    const run = await runAgent(env, ['--opensearch', search.url]);
    for (const id of ['sts', 'pod-identity']) {
      const f = checkFindings(run, id).find((x) => x.code === 'PROXY-UNREACHABLE');
      expect(f?.status, id).toBe('fail');
      expect(f?.message, id).toContain(`The proxy ${down}`);
      expect(f?.details?.proxyFailure, id).toMatchObject({ kind: 'unreachable', errno: 'ECONNREFUSED' });
      // The targets answer directly: apps that ignore the variables (Java) still get through.
      expect(codesOf(run, id), id).toContain('PROXY-DIRECT-ONLY:warn');
    }
    // The issuer is fetched only by this pod: a warning there, as OIDC-UNREACHABLE would be.
    expect(codesOf(run, 'oidc')).toEqual(['PROXY-UNREACHABLE:warn', 'PROXY-DIRECT-ONLY:warn']);
    expect(run.finding('STS-UNREACHABLE')).toBeUndefined();
    // The chain's STS call failed at the same proxy: its fix points at the PROXY-* finding, not at STS.
    expect(run.finding('CHAIN-FAILED')?.details?.cause).toBe('PROXY-UNREACHABLE');
    expect(run.finding('CHAIN-FAILED')?.remediation).toContain('PROXY-UNREACHABLE');
    // No credentials came through the dead proxy, so nothing could be signed for the domain.
    expect(codesOf(run, 'opensearch')).toEqual(['OS-NO-CREDENTIALS:fail']);
  });

  it('PROXY-AUTH: wrong credentials (CONNECT and forwarded), the password never printed; right ones pass', async () => {
    const canary = 'Pr0xy-canary-pass-7e1f';
    const locked = await proxy({ auth: { user: 'svc-egress', password: 'the-right-one' } });
    const base = await stack.podEnv();
    for (const args of [
      ['-o', 'json'],
      ['-o', 'text', '--debug'],
    ]) {
      // DEBUG=* would make the proxy agents' logger print the proxy URL and request bodies, unredacted.
      const env = { ...base, ...both(locked.urlWith('svc-egress', canary)), DEBUG: '*' };
      const run = await runCli(['check', ...args], env);
      expect(run.stdout + run.stderr).not.toContain(canary);
      expect(run.stdout + run.stderr).not.toContain(encodeURIComponent(canary));
      expect(run.stderr).not.toMatch(/proxy-agent|eyJ[A-Za-z0-9_-]{10,}\./);
    }
    const run = await runAgent({ ...base, ...both(locked.urlWith('svc-egress', canary)) });
    const sts = run.check('sts')?.findings[0];
    expect(sts).toMatchObject({ code: 'PROXY-AUTH', status: 'fail' });
    expect(sts?.message).toContain('it refused the credentials of user svc-egress');
    expect(run.check('oidc')?.findings[0]).toMatchObject({ code: 'PROXY-AUTH', status: 'warn' });
    expect(locked.requests.every((r) => r.status === 407 && r.sentCredentials)).toBe(true);

    const missing = await runAgent({ ...base, ...both(locked.url) }, ['--only', 'sts']);
    expect(missing.check('sts')?.findings[0]).toMatchObject({ code: 'PROXY-AUTH', status: 'fail' });
    expect(missing.check('sts')?.findings[0]?.message).toContain('HTTP_PROXY carries no credentials');

    const right = await runAgent({ ...base, ...both(locked.urlWith('svc-egress', 'the-right-one')) }, [
      '--only',
      'sts,oidc',
    ]);
    expect(right.finding('STS-OK')?.details?.proxy).toMatchObject({
      via: 'proxy',
      proxy: `http://svc-egress@127.0.0.1:${locked.port}`,
    });
    expect(right.finding('OIDC-OK')).toBeDefined();
    expect(right.stdout).not.toContain('the-right-one');
  });

  it('PROXY-INVALID: a proxy setting that is no http(s) URL is named, its password never shown', async () => {
    const env = { ...(await stack.podEnv()), HTTPS_PROXY: 'socks5://u:Sock5-canary-pw@127.0.0.1:1080' };
    const run = await runAgent(env, ['--only', 'sts,oidc']);
    // STS is an http:// endpoint here: HTTPS_PROXY does not apply to it, the issuer's https does.
    expect(run.finding('STS-OK')?.details?.proxy).toMatchObject({ via: 'direct', reason: 'unset' });
    expect(run.check('oidc')?.findings[0]).toMatchObject({ code: 'PROXY-INVALID', status: 'warn' });
    expect(run.check('oidc')?.findings[0]?.message).toContain('HTTPS_PROXY is a socks5: URL');
    expect(run.stdout + run.stderr).not.toContain('Sock5-canary-pw');
  });
});
