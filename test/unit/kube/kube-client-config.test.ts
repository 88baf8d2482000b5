// client-node against a real HTTP server in this process: the Authorization header it sends is the
// exec plugin's token, obtained through the authenticator hook and the cache, never by client-node's
// own unbounded exec support.
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clearExecCredentialCache } from '../../../src/kube/exec-credential-cache.js';
import { ExecCredentialError, kubeClientConfig } from '../../../src/kube/kube-client-config.js';
import { loadKubeconfig } from '../../../src/kube/load-kubeconfig.js';
import { clearRegisteredSecrets } from '../../../src/lib/redact.js';
import { createTestCa, type TestCa } from '../../harness/tls-ca.js';
import { cleanEnv, put, tempDir, writeFakePlugin } from './fixtures.js';

// https: like kubectl, no credentials (and no plugin run) for a plain-http server.
const seen: IncomingHttpHeaders[] = [];
let server: Server;
let ca: TestCa;
let url = '';
beforeAll(async () => {
  ca = await createTestCa();
  const cert = await ca.issue(['127.0.0.1']);
  server = createServer(
    { cert: cert.certPem, key: cert.keyPem },
    (req: IncomingMessage, res: ServerResponse) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'NamespaceList', apiVersion: 'v1', metadata: {}, items: [] }));
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  ca.cleanup();
});
afterEach(() => {
  seen.length = 0;
  clearExecCredentialCache();
  clearRegisteredSecrets();
});

const dir = tempDir('irsa-doctor-kube-client-');
const script = writeFakePlugin(dir);

async function clientFor(act: string[], token: string) {
  const file = put(
    dir,
    `config-${act[0]}-${token}`,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'loopback',
          cluster: {
            server: url,
            'certificate-authority-data': Buffer.from(ca.caCertPem).toString('base64'),
          },
        },
      ],
      users: [
        {
          name: 'eks-user',
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1beta1',
              command: process.execPath,
              args: [script, ...act],
              env: [{ name: 'TOKEN', value: token }],
              interactiveMode: 'Never',
            },
          },
        },
      ],
      contexts: [{ name: 'loopback', context: { cluster: 'loopback', user: 'eks-user' } }],
      'current-context': 'loopback',
    }),
  );
  const loaded = await loadKubeconfig({
    kubeconfig: file,
    env: cleanEnv(dir),
    serviceAccountDir: '/nonexistent',
  });
  if (!loaded.ok) throw new Error(loaded.problem.message);
  return kubeClientConfig(loaded.config, { stdinIsTerminal: false }).makeApiClient(CoreV1Api);
}

describe('kubeClientConfig', () => {
  it("sends the exec plugin's token as the bearer token, running the plugin once for many requests", async () => {
    const count = join(dir, 'client-runs');
    const api = await clientFor(['count', count], 'token-from-the-plugin');
    await api.listNamespace();
    await api.listNamespace();
    expect(seen.map((h) => h.authorization)).toEqual([
      'Bearer token-from-the-plugin',
      'Bearer token-from-the-plugin',
    ]);
    expect(readFileSync(count, 'utf8')).toBe('ran\n');
  });

  it('a failing plugin rejects the request with ExecCredentialError, and nothing is sent', async () => {
    const api = await clientFor(['fail'], 'unused');
    const err = await api.listNamespace().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecCredentialError);
    expect((err as ExecCredentialError).failure).toMatchObject({ kind: 'failed', exitCode: 255 });
    expect(seen).toEqual([]);
  });
});
