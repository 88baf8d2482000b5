// kubectl's kubeconfig rules, through `irsa-doctor run`: KUBECONFIG lists files in precedence order
// (the first current-context and the first definition of each name win, missing files are
// skipped), --kubeconfig replaces the list, and a kubeconfig that cannot be loaded is exit 2, never
// a silent namespace "default". --dry-run shows the namespace it resolved; a real run against the
// HTTPS peer shows the cluster.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBE_PEER, type KubePeer, startKubePeer } from '../peers/kube-api.js';
import { runLauncher } from '../support/run-launcher.js';

const { namespace: NS, serviceAccount: SA, token: TOKEN } = KUBE_PEER;
const EKS = 'arn:aws:eks:eu-west-1:111122223333:cluster/prod';

let dir: string;
let peer: KubePeer;
let peerCluster: Record<string, unknown>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'irsa-doctor-kubeconfig-'));
  peer = await startKubePeer();
  const written = JSON.parse(readFileSync(peer.writeKubeconfig(dir), 'utf8')) as {
    clusters: Array<{ cluster: Record<string, unknown> }>;
  };
  peerCluster = written.clusters[0]!.cluster;
});
afterAll(async () => {
  await peer?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Ctx {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
}
/** A kubeconfig file as YAML-compatible JSON; `clusters` maps a name to its server (or the peer). */
function file(
  name: string,
  o: {
    clusters?: Record<string, 'peer' | string>;
    users?: Record<string, string>;
    contexts?: Ctx[];
    current?: string;
  },
): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: Object.entries(o.clusters ?? {}).map(([n, server]) => ({
        name: n,
        cluster: server === 'peer' ? peerCluster : { server, 'insecure-skip-tls-verify': true },
      })),
      users: Object.entries(o.users ?? {}).map(([n, token]) => ({ name: n, user: { token } })),
      contexts: (o.contexts ?? []).map(({ name: n, ...context }) => ({ name: n, context })),
      ...(o.current ? { 'current-context': o.current } : {}),
    }),
  );
  return path;
}

/** The namespace `run --dry-run` puts the Job in, or the failed run. */
async function dryRunNamespace(env: Record<string, string>, args: string[] = []) {
  const r = await runLauncher(['-s', SA, '--dry-run', '-o', 'json', ...args], {
    env: { HOME: join(dir, 'no-home'), ...env },
    report: false,
  });
  return {
    ...r,
    namespace:
      r.code === 0
        ? (JSON.parse(r.stdout) as { metadata: { namespace: string } }).metadata.namespace
        : undefined,
  };
}

const UNREACHABLE = 'https://127.0.0.1:1';

describe('kubeconfig resolution, as kubectl does it', () => {
  it('KUBECONFIG=a:b takes current-context from the first file (the second names another cluster)', async () => {
    const a = file('a-first.json', {
      clusters: { peer: 'peer' },
      users: { u: TOKEN },
      contexts: [{ name: 'from-a', cluster: 'peer', user: 'u', namespace: NS }],
      current: 'from-a',
    });
    const b = file('b-first.json', {
      clusters: { elsewhere: UNREACHABLE },
      users: { v: 'other' },
      contexts: [{ name: 'from-b', cluster: 'elsewhere', user: 'v', namespace: 'wrong-cluster-ns' }],
      current: 'from-b',
    });
    expect((await dryRunNamespace({ KUBECONFIG: `${a}:${b}` })).namespace).toBe(NS);
    const real = await runLauncher(['-s', SA, '-o', 'json', '--timeout', '20'], {
      env: { HOME: dir, KUBECONFIG: `${a}:${b}` },
    });
    expect(real.code).toBe(0);
    expect(real.codes).toContain('LAUNCH-JOB-DELETED');
    expect(real.report?.context.namespace).toBe(NS);
  });

  it('a file in KUBECONFIG that does not exist is skipped', async () => {
    const a = file('a-skip.json', {
      clusters: { c: UNREACHABLE },
      contexts: [{ name: 'x', cluster: 'c', user: '', namespace: 'from-a' }],
      current: 'x',
    });
    const r = await dryRunNamespace({ KUBECONFIG: `${join(dir, 'does-not-exist.yaml')}:${a}` });
    expect(r.code).toBe(0);
    expect(r.namespace).toBe('from-a');
  });

  it('the same cluster name in two files: the first definition wins (the second points nowhere)', async () => {
    const a = file('a-dup.json', {
      clusters: { prod: 'peer' },
      users: { admin: TOKEN },
      contexts: [{ name: 'prod', cluster: 'prod', user: 'admin', namespace: NS }],
      current: 'prod',
    });
    const b = file('b-dup.json', {
      clusters: { prod: UNREACHABLE },
      users: { admin: 'a-stale-token' },
      contexts: [{ name: 'prod', cluster: 'prod', user: 'admin', namespace: 'stale' }],
    });
    const r = await runLauncher(['-s', SA, '-o', 'json', '--timeout', '20'], {
      env: { HOME: dir, KUBECONFIG: `${a}:${b}` },
    });
    expect(r.code).toBe(0);
    expect(r.codes).toContain('LAUNCH-JOB-DELETED');
  });

  it('two aws eks update-kubeconfig files sharing the cluster and user names: the first context and its namespace, not "default"', async () => {
    const prod = file('eks-prod.json', {
      clusters: { [EKS]: UNREACHABLE },
      users: { [EKS]: 'unused' },
      contexts: [{ name: EKS, cluster: EKS, user: EKS, namespace: 'camunda' }],
      current: EKS,
    });
    const again = file('eks-prod-again.json', {
      clusters: { [EKS]: UNREACHABLE },
      users: { [EKS]: 'unused' },
      contexts: [{ name: 'prod-alias', cluster: EKS, user: EKS, namespace: 'other-team' }],
      current: 'prod-alias',
    });
    const r = await dryRunNamespace({ KUBECONFIG: `${prod}:${again}` });
    expect(r.code).toBe(0);
    expect(r.namespace).toBe('camunda');
  });

  it('--kubeconfig replaces KUBECONFIG', async () => {
    const listed = file('listed.json', {
      clusters: { c: UNREACHABLE },
      contexts: [{ name: 'x', cluster: 'c', user: '', namespace: 'from-list' }],
      current: 'x',
    });
    const flag = file('flag.json', {
      clusters: { c: UNREACHABLE },
      contexts: [{ name: 'y', cluster: 'c', user: '', namespace: 'from-flag' }],
      current: 'y',
    });
    expect((await dryRunNamespace({ KUBECONFIG: listed }, ['--kubeconfig', flag])).namespace).toBe(
      'from-flag',
    );
  });

  it('clusters: 42 is a precise error naming the file and the field, exit 2', async () => {
    const broken = join(dir, 'clusters-42.yaml');
    writeFileSync(broken, 'apiVersion: v1\nkind: Config\nclusters: 42\n');
    for (const args of [['-n', NS], []]) {
      const r = await runLauncher(['-s', SA, '-o', 'json', ...args], {
        env: { HOME: dir, KUBECONFIG: broken },
      });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`irsa-doctor run: ${broken}: clusters must be a list (found a number)`);
    }
  });

  it('a kubeconfig that cannot be loaded is exit 2 for --dry-run too, never a silent "default"', async () => {
    const broken = join(dir, 'not-yaml.yaml');
    writeFileSync(broken, 'clusters: [\n');
    const r = await dryRunNamespace({ KUBECONFIG: broken });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^irsa-doctor run: .*not-yaml\.yaml: not valid YAML/);
    expect(r.stderr).toContain('pass -n NAMESPACE');
    const none = await dryRunNamespace({});
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(
      /no Kubernetes configuration found: .* does not exist and KUBECONFIG is not set/,
    );
    // With -n, --dry-run needs no kubeconfig at all.
    expect((await dryRunNamespace({ KUBECONFIG: broken }, ['-n', 'given'])).namespace).toBe('given');
  });

  it('an http:// server gets no credentials, as with kubectl, and the run says so', async () => {
    const plain = file('plain-http.json', {
      clusters: { c: 'http://127.0.0.1:1' },
      users: { u: TOKEN },
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      current: 'x',
    });
    const r = await runLauncher(['-n', NS, '-s', SA, '-o', 'json', '--timeout', '3'], {
      env: { HOME: dir, KUBECONFIG: plain },
    });
    expect(r.stderr).toContain(
      `irsa-doctor run: http://127.0.0.1:1 is plain HTTP: as kubectl, irsa-doctor sends it none of user "u"'s credentials (token)`,
    );
    expect(r.stderr + r.stdout).not.toContain(TOKEN);
    expect(r.finding('LAUNCH-API-ERROR')?.status).toBe('fail');
  });
});
