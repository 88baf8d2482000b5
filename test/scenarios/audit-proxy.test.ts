// The audit runs on laptops behind corporate proxies: its AWS calls honour HTTPS_PROXY / HTTP_PROXY /
// NO_PROXY as the AWS CLI on the same laptop would (docs/proxies.md). The proxy is the harness's own.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectProxy, startConnectProxy } from '../harness/connect-proxy.js';
import { type AuditStack, NS, runAudit, SA, startAuditStack } from '../support/audit-stack.js';

let s: AuditStack;
const proxies: ConnectProxy[] = [];
beforeAll(async () => {
  s = await startAuditStack();
});
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});
afterAll(() => s?.close());

const args = ['-n', NS, '-s', SA];
const authority = (url: string) => new URL(url).host;
const aws = () => ['AWS_ENDPOINT_URL_IAM', 'AWS_ENDPOINT_URL_EKS'].map((k) => authority(s.cp.env[k]!));

describe('audit behind an egress proxy', () => {
  it('sends the AWS calls through the proxy', async () => {
    const p = await startConnectProxy();
    proxies.push(p);
    const r = await runAudit(s, args, { HTTPS_PROXY: p.url, HTTP_PROXY: p.url });
    expect(r.codes('audit-cluster')).toEqual(['EKS-CLUSTER:pass', 'IAM-OIDC-PROVIDER-OK:pass']);
    expect(r.codes('audit-trust')).toEqual(['IAM-TRUST-OK:pass']);
    for (const target of aws()) expect(p.targets()).toContain(target);
  });

  it('NO_PROXY keeps them direct', async () => {
    const p = await startConnectProxy();
    proxies.push(p);
    const r = await runAudit(s, args, { HTTPS_PROXY: p.url, HTTP_PROXY: p.url, NO_PROXY: '127.0.0.1' });
    expect(r.codes('audit-trust')).toEqual(['IAM-TRUST-OK:pass']);
    for (const target of aws()) expect(p.targets()).not.toContain(target);
  });

  it('a proxy that is down is named (not AWS) instead of being bypassed', async () => {
    const p = await startConnectProxy();
    const url = p.url;
    await p.close();
    const r = await runAudit(s, args, { HTTPS_PROXY: url, HTTP_PROXY: url });
    const f = r.finding('AUDIT-AWS-UNREACHABLE');
    expect(f?.status).toBe('fail');
    expect(f?.message).toContain(`did not reach AWS: the proxy ${url} does not answer (ECONNREFUSED)`);
    expect(f?.details?.proxy).toMatchObject({ kind: 'unreachable', proxy: url });
    expect(r.codes('audit-trust')).not.toContain('IAM-TRUST-OK:pass');
  });

  it('a proxy that wants other credentials: 407 named, its password never printed', async () => {
    const canary = 'Audit-proxy-canary-91c4';
    const p = await startConnectProxy({ auth: { user: 'laptop', password: 'the-right-one' } });
    proxies.push(p);
    const url = p.urlWith('laptop', canary);
    const r = await runAudit(s, args, { HTTPS_PROXY: url, HTTP_PROXY: url });
    const f = r.finding('AUDIT-AWS-UNREACHABLE');
    expect(f?.message).toContain(`the proxy http://laptop@127.0.0.1:${p.port} wants credentials (407)`);
    expect(r.stdout + r.stderr).not.toContain(canary);
    const right = await runAudit(s, args, {
      HTTPS_PROXY: p.urlWith('laptop', 'the-right-one'),
      HTTP_PROXY: p.urlWith('laptop', 'the-right-one'),
    });
    expect(right.codes('audit-trust')).toEqual(['IAM-TRUST-OK:pass']);
    expect(right.stdout).not.toContain('the-right-one');
  });
});
