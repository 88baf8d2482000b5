import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeConfigError, loadKubeConfig } from '../../../src/kube/load-kube-config.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'irsa-doctor-kubeconfig-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kubeconfig(name: string, config: Record<string, unknown>): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'Config', ...config }));
  return file;
}

const TWO_CONTEXTS = {
  clusters: [
    { name: 'prod', cluster: { server: 'https://prod.example:6443' } },
    { name: 'lab', cluster: { server: 'http://127.0.0.1:8001' } },
  ],
  users: [{ name: 'u', user: { token: 't' } }],
  contexts: [
    { name: 'prod', context: { cluster: 'prod', user: 'u', namespace: 'camunda' } },
    { name: 'lab', context: { cluster: 'lab', user: 'u' } },
  ],
  'current-context': 'prod',
};

describe('loadKubeConfig', () => {
  it("takes the current context and its namespace, or another context by --context ('default' without one)", () => {
    const file = kubeconfig('two.json', TWO_CONTEXTS);
    const prod = loadKubeConfig({ kubeconfig: file });
    expect(prod).toMatchObject({ context: 'prod', defaultNamespace: 'camunda' });
    expect(prod.config.getCurrentCluster()?.server).toBe('https://prod.example:6443');
    const lab = loadKubeConfig({ kubeconfig: file, context: 'lab' });
    expect(lab).toMatchObject({ context: 'lab', defaultNamespace: 'default' });
    // kubectl talks to a plain-http server as is; so must the client.
    expect(lab.config.getCurrentCluster()).toMatchObject({
      server: 'http://127.0.0.1:8001',
      skipTLSVerify: true,
    });
  });

  it('says which contexts exist when --context names none of them', () => {
    const file = kubeconfig('two-again.json', TWO_CONTEXTS);
    expect(() => loadKubeConfig({ kubeconfig: file, context: 'staging' })).toThrow(
      new KubeConfigError('context "staging" is not in the kubeconfig (contexts: prod, lab)'),
    );
  });

  it('refuses a current-context that does not exist, or one naming no defined cluster', () => {
    const dangling = kubeconfig('dangling.json', { ...TWO_CONTEXTS, 'current-context': 'gone' });
    expect(() => loadKubeConfig({ kubeconfig: dangling })).toThrow(/current-context "gone" does not exist/);
    const noCluster = kubeconfig('no-cluster.json', {
      ...TWO_CONTEXTS,
      contexts: [{ name: 'prod', context: { cluster: 'elsewhere', user: 'u' } }],
    });
    expect(() => loadKubeConfig({ kubeconfig: noCluster })).toThrow(KubeConfigError);
  });

  it('an unreadable file is one line naming it', () => {
    const missing = join(dir, 'missing.yaml');
    let err: unknown;
    try {
      loadKubeConfig({ kubeconfig: missing });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KubeConfigError);
    expect((err as Error).message).toMatch(new RegExp(`^cannot load kubeconfig ${missing}: [^\\n]+$`));
  });

  it('a kubeconfig without clusters is no configuration at all', () => {
    const empty = kubeconfig('empty.json', { clusters: [], users: [], contexts: [] });
    expect(() => loadKubeConfig({ kubeconfig: empty })).toThrow(/no Kubernetes configuration found/);
  });
});
