import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EksStack, startEksStack } from '../harness/eks-stack.js';
import { type OpenSearchServer, startOpenSearch } from '../harness/opensearch.js';
import { runAgent } from '../support/run-agent.js';

// A proxy between the pod and the domain that drops the SigV4 headers: the domain sees an anonymous
// request, and the agent must say the request arrived unsigned, not that the role lacks a policy.
describe('OpenSearch behind a proxy that strips Authorization', () => {
  let eks: EksStack;
  let search: OpenSearchServer;
  let proxy: ReturnType<typeof createServer>;
  let proxyUrl: string;

  beforeAll(async () => {
    eks = await startEksStack({ imdsMode: 'hop-limit-v1-disabled' });
    search = await startOpenSearch({
      iam: eks.iam,
      region: eks.region,
      accountId: eks.iam.accountId,
      // The domain admits the IRSA role by name, so only a missing signature can explain a denial.
      accessPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: [eks.roleArn] },
            Action: 'es:*',
            Resource: `arn:aws:es:${eks.region}:${eks.iam.accountId}:domain/camunda/*`,
          },
        ],
      },
    });
    const target = new URL(search.url);
    proxy = createServer((req, res) => {
      const headers = { ...req.headers };
      for (const h of ['authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256'])
        delete headers[h];
      const upstream = request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => proxy?.close(resolve));
    await search?.close();
    await eks?.close();
  });

  it('OS-ANONYMOUS: the domain saw an unsigned request although the agent signed it', async () => {
    const run = await runAgent(await eks.podEnv(), ['--only', 'opensearch', '--opensearch', proxyUrl]);
    expect(run.finding('OS-ANONYMOUS')?.status).toBe('fail');
    expect(run.finding('OS-IDENTITY-POLICY')).toBeUndefined();
    expect(run.code).toBe(1);
    expect(search.requests.at(-1)?.principal).toBe('anonymous');
  });
});
