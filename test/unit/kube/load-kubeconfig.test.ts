// kubectl's kubeconfig rules, one test per rule. The expected values were compared with
// `kubectl config view --minify --raw` and `kubectl config current-context` (kubectl v1.32.4) over
// the same files, flags and environment; the tests do not need kubectl.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadKubeconfig } from '../../../src/kube/load-kubeconfig.js';
import { clearRegisteredSecrets } from '../../../src/lib/redact.js';
import { createTestCa } from '../../harness/tls-ca.js';
import { cleanEnv, put, tempDir } from './fixtures.js';

afterEach(() => clearRegisteredSecrets());

const NO_POD = '/nonexistent/serviceaccount';

/** A one-context kubeconfig in YAML, the way aws eks update-kubeconfig lays it out. */
function kubeconfig(o: {
  context: string;
  cluster: string;
  server: string;
  user: string;
  token?: string;
  namespace?: string;
  current?: boolean;
}): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${o.cluster}`,
    '  cluster:',
    `    server: ${o.server}`,
    'users:',
    `- name: ${o.user}`,
    '  user:',
    `    token: ${o.token ?? 'placeholder-token'}`,
    'contexts:',
    `- name: ${o.context}`,
    '  context:',
    `    cluster: ${o.cluster}`,
    `    user: ${o.user}`,
    ...(o.namespace ? [`    namespace: ${o.namespace}`] : []),
    ...(o.current === false ? [] : [`current-context: ${o.context}`]),
    '',
  ].join('\n');
}

async function load(
  env: Record<string, string>,
  flags: { kubeconfig?: string; context?: string; namespace?: string } = {},
) {
  return loadKubeconfig({ ...flags, env, serviceAccountDir: NO_POD });
}

describe('loadKubeconfig: which files', () => {
  it('KUBECONFIG=a:b takes current-context from the first file that sets it', async () => {
    const dir = tempDir();
    const a = put(
      dir,
      'a',
      kubeconfig({ context: 'ctx-a', cluster: 'ca', server: 'https://a.example', user: 'ua' }),
    );
    const b = put(
      dir,
      'b',
      kubeconfig({ context: 'ctx-b', cluster: 'cb', server: 'https://b.example', user: 'ub' }),
    );
    const r = await load(cleanEnv(dir, { KUBECONFIG: `${a}:${b}` }));
    expect(r).toMatchObject({
      ok: true,
      config: {
        source: 'kubeconfig',
        files: [a, b],
        context: { name: 'ctx-a', file: a },
        cluster: { name: 'ca', server: 'https://a.example', file: a },
        user: { name: 'ua', file: a, auth: 'token' },
      },
    });
  });

  it('a file without current-context leaves it to the next file', async () => {
    const dir = tempDir();
    const a = put(
      dir,
      'a',
      kubeconfig({
        context: 'ctx-a',
        cluster: 'ca',
        server: 'https://a.example',
        user: 'ua',
        current: false,
      }),
    );
    const b = put(
      dir,
      'b',
      kubeconfig({ context: 'ctx-b', cluster: 'cb', server: 'https://b.example', user: 'ub' }),
    );
    const r = await load(cleanEnv(dir, { KUBECONFIG: `${a}:${b}` }));
    expect(r).toMatchObject({ ok: true, config: { context: { name: 'ctx-b', file: b } } });
  });

  it('a missing file in KUBECONFIG is skipped, as are empty entries and repeats', async () => {
    const dir = tempDir();
    const a = put(
      dir,
      'a',
      kubeconfig({ context: 'ctx-a', cluster: 'ca', server: 'https://a.example', user: 'ua' }),
    );
    const missing = join(dir, 'missing');
    const r = await load(cleanEnv(dir, { KUBECONFIG: `${missing}::${a}:${a}` }));
    expect(r).toMatchObject({
      ok: true,
      config: { files: [a], skipped: [missing], context: { name: 'ctx-a' } },
    });
  });

  it('the same cluster, user or context name in two files: the first file wins, whole', async () => {
    const dir = tempDir();
    const a = put(
      dir,
      'a',
      kubeconfig({
        context: 'ctx',
        cluster: 'shared',
        server: 'https://a.example',
        user: 'shared',
        token: 'token-of-file-a',
      }),
    );
    const b = put(
      dir,
      'b',
      kubeconfig({
        context: 'ctx',
        cluster: 'shared',
        server: 'https://b.example',
        user: 'shared',
        namespace: 'from-b',
      }),
    );
    const r = await load(cleanEnv(dir, { KUBECONFIG: `${a}:${b}` }));
    expect(r).toMatchObject({
      ok: true,
      config: {
        cluster: { server: 'https://a.example', file: a },
        user: { file: a },
        context: { file: a },
        // The context of file a has no namespace; b's namespace for the same context name is not merged in.
        namespace: { name: 'default', from: 'default' },
      },
    });
    if (r.ok) expect(r.config.clientOptions.users[0]?.token).toBe('token-of-file-a');
  });

  it('two aws eks update-kubeconfig files sharing cluster and user names: the first context and its namespace', async () => {
    const arn = 'arn:aws:eks:eu-west-1:111122223333:cluster/prod';
    const eks = (alias: string, namespace: string, role: string) =>
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- cluster:',
        '    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUIKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=',
        '    server: https://ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com',
        `  name: ${arn}`,
        'contexts:',
        '- context:',
        `    cluster: ${arn}`,
        `    namespace: ${namespace}`,
        `    user: ${arn}`,
        `  name: ${alias}`,
        `current-context: ${alias}`,
        'preferences: {}',
        'users:',
        `- name: ${arn}`,
        '  user:',
        '    exec:',
        '      apiVersion: client.authentication.k8s.io/v1beta1',
        '      args: [--region, eu-west-1, eks, get-token, --cluster-name, prod, --output, json, --role-arn, ' +
          role +
          ']',
        '      command: aws',
        '',
      ].join('\n');
    const dir = tempDir();
    const a = put(dir, 'team-a.yaml', eks('prod-team-a', 'team-a', 'arn:aws:iam::111122223333:role/team-a'));
    const b = put(dir, 'team-b.yaml', eks('prod-team-b', 'team-b', 'arn:aws:iam::111122223333:role/team-b'));
    const r = await load(cleanEnv(dir, { KUBECONFIG: `${a}:${b}` }));
    expect(r).toMatchObject({
      ok: true,
      config: {
        context: { name: 'prod-team-a', file: a },
        namespace: { name: 'team-a', from: 'context' },
        cluster: { name: arn, file: a },
        user: { name: arn, file: a, auth: 'exec' },
        exec: { command: 'aws', interactiveMode: 'IfAvailable', user: arn, file: a },
      },
    });
    if (r.ok) expect(r.config.exec?.args).toContain('arn:aws:iam::111122223333:role/team-a');
    // --context picks b's context, whose cluster and user still come from a (first wins by name).
    const rb = await load(cleanEnv(dir, { KUBECONFIG: `${a}:${b}` }), { context: 'prod-team-b' });
    expect(rb).toMatchObject({
      ok: true,
      config: { context: { name: 'prod-team-b', file: b }, namespace: { name: 'team-b' }, user: { file: a } },
    });
  });

  it('--kubeconfig replaces KUBECONFIG and ~/.kube/config', async () => {
    const dir = tempDir();
    const a = put(
      dir,
      'a',
      kubeconfig({ context: 'ctx-a', cluster: 'ca', server: 'https://a.example', user: 'ua' }),
    );
    const b = put(
      dir,
      'b',
      kubeconfig({ context: 'ctx-b', cluster: 'cb', server: 'https://b.example', user: 'ub' }),
    );
    put(
      dir,
      'home/.kube/config',
      kubeconfig({ context: 'home', cluster: 'ch', server: 'https://h.example', user: 'uh' }),
    );
    const r = await load({ HOME: join(dir, 'home'), KUBECONFIG: a }, { kubeconfig: b });
    expect(r).toMatchObject({ ok: true, config: { files: [b], context: { name: 'ctx-b' } } });
  });

  it('--kubeconfig naming a missing file is an error, not a skip', async () => {
    const dir = tempDir();
    const a = put(
      dir,
      'a',
      kubeconfig({ context: 'ctx-a', cluster: 'ca', server: 'https://a.example', user: 'ua' }),
    );
    const missing = join(dir, 'missing');
    const r = await load(cleanEnv(dir, { KUBECONFIG: a }), { kubeconfig: missing });
    expect(r).toMatchObject({ ok: false, problem: { kind: 'file-missing' } });
    if (!r.ok) expect(r.problem.message).toContain(missing);
  });

  it('without KUBECONFIG, ~/.kube/config', async () => {
    const dir = tempDir();
    const home = join(dir, 'home');
    const file = put(
      dir,
      'home/.kube/config',
      kubeconfig({ context: 'home', cluster: 'ch', server: 'https://h.example', user: 'uh' }),
    );
    expect(await load({ HOME: home, KUBECONFIG: '' })).toMatchObject({
      ok: true,
      config: { files: [file], context: { name: 'home' } },
    });
  });

  it('nothing found and not in a pod: an error naming where it looked, never localhost:8080', async () => {
    const dir = tempDir();
    const r = await load(cleanEnv(dir));
    expect(r).toMatchObject({ ok: false, problem: { kind: 'not-found' } });
    if (!r.ok) {
      expect(r.problem.message).toContain(join(dir, 'home-without-kube', '.kube', 'config'));
      expect(r.problem.fix).toMatch(/aws eks update-kubeconfig/);
    }
    const all = await load(cleanEnv(dir, { KUBECONFIG: `${join(dir, 'x')}:${join(dir, 'y')}` }));
    expect(all).toMatchObject({ ok: false, problem: { kind: 'not-found' } });
  });
});

describe('loadKubeconfig: context, namespace', () => {
  it('--context replaces current-context; -n wins over the context namespace', async () => {
    const dir = tempDir();
    const text = kubeconfig({
      context: 'one',
      cluster: 'c',
      server: 'https://c.example',
      user: 'u',
      namespace: 'ns-one',
    }).replace(
      'current-context: one',
      ['- name: two', '  context: {cluster: c, user: u, namespace: ns-two}', 'current-context: one'].join(
        '\n',
      ),
    );
    const f = put(dir, 'config', text);
    expect(await load(cleanEnv(dir), { kubeconfig: f })).toMatchObject({
      ok: true,
      config: { context: { name: 'one' }, namespace: { name: 'ns-one', from: 'context' } },
    });
    expect(await load(cleanEnv(dir), { kubeconfig: f, context: 'two' })).toMatchObject({
      ok: true,
      config: { context: { name: 'two' }, namespace: { name: 'ns-two', from: 'context' } },
    });
    expect(await load(cleanEnv(dir), { kubeconfig: f, context: 'two', namespace: 'mine' })).toMatchObject({
      ok: true,
      config: { namespace: { name: 'mine', from: 'flag' } },
    });
  });

  it('a context that does not exist, and no context at all, are errors that list the contexts', async () => {
    const dir = tempDir();
    const f = put(
      dir,
      'config',
      kubeconfig({ context: 'one', cluster: 'c', server: 'https://c.example', user: 'u' }),
    );
    const r = await load(cleanEnv(dir), { kubeconfig: f, context: 'nope' });
    expect(r).toMatchObject({ ok: false, problem: { kind: 'context-missing' } });
    if (!r.ok) expect(r.problem.fix).toContain('one');
    const none = put(
      dir,
      'none',
      kubeconfig({ context: 'one', cluster: 'c', server: 'https://c.example', user: 'u', current: false }),
    );
    expect(await load(cleanEnv(dir), { kubeconfig: none })).toMatchObject({
      ok: false,
      problem: { kind: 'no-context' },
    });
  });

  it('a context naming an undefined cluster or user is an error (kubectl would go to localhost:8080 or prompt)', async () => {
    const dir = tempDir();
    const base = kubeconfig({ context: 'one', cluster: 'c', server: 'https://c.example', user: 'u' });
    const noUser = put(dir, 'nouser', base.replace('    user: u', '    user: ghost'));
    const noCluster = put(dir, 'nocluster', base.replace('    cluster: c', '    cluster: ghost'));
    const r = await load(cleanEnv(dir), { kubeconfig: noUser });
    expect(r).toMatchObject({ ok: false, problem: { kind: 'entry-missing' } });
    if (!r.ok) expect(r.problem.message).toContain('"ghost"');
    expect(await load(cleanEnv(dir), { kubeconfig: noCluster })).toMatchObject({
      ok: false,
      problem: { kind: 'entry-missing' },
    });
  });
});

describe('loadKubeconfig: what the chosen entries hold', () => {
  it('relative paths resolve against the directory of the file that holds them', async () => {
    const ca = await createTestCa();
    const client = await ca.issue(['tester']);
    const dir = tempDir();
    put(dir, 'kube/certs/ca.pem', ca.caCertPem);
    put(dir, 'client.crt', client.certPem);
    put(dir, 'client.key', client.keyPem);
    put(dir, 'kube/token', 'token-from-a-relative-file\n');
    const text = [
      'clusters:',
      '- name: c',
      '  cluster: {server: https://c.example, certificate-authority: certs/ca.pem}',
      'users:',
      '- name: cert',
      '  user: {client-certificate: ../client.crt, client-key: ../client.key}',
      '- name: file',
      '  user: {tokenFile: token}',
      '- name: plugin',
      '  user:',
      '    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: bin/get-token}',
      '- name: on-path',
      '  user:',
      '    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws}',
      'contexts:',
      '- {name: cert, context: {cluster: c, user: cert}}',
      '- {name: file, context: {cluster: c, user: file}}',
      '- {name: plugin, context: {cluster: c, user: plugin}}',
      '- {name: on-path, context: {cluster: c, user: on-path}}',
      'current-context: cert',
      '',
    ].join('\n');
    const f = put(dir, 'kube/config', text);
    // Loaded from another working directory: nothing may resolve against the cwd.
    const env = cleanEnv(dir, { KUBECONFIG: f });
    const cert = await load(env);
    expect(cert).toMatchObject({ ok: true, config: { user: { auth: 'client-certificate' } } });
    if (cert.ok) {
      const [cluster] = cert.config.clientOptions.clusters;
      const [user] = cert.config.clientOptions.users;
      expect(Buffer.from(cluster?.caData ?? '', 'base64').toString()).toBe(ca.caCertPem);
      expect(Buffer.from(user?.certData ?? '', 'base64').toString()).toBe(client.certPem);
      expect(cert.config.exec).toBeUndefined();
    }
    const file = await load(env, { context: 'file' });
    expect(file).toMatchObject({ ok: true, config: { user: { auth: 'token-file' } } });
    if (file.ok) expect(file.config.clientOptions.users[0]?.token).toBe('token-from-a-relative-file');
    expect(await load(env, { context: 'plugin' })).toMatchObject({
      ok: true,
      config: { exec: { command: join(dir, 'kube', 'bin', 'get-token') } },
    });
    expect(await load(env, { context: 'on-path' })).toMatchObject({
      ok: true,
      config: { exec: { command: 'aws' } },
    });
    ca.cleanup();
  });

  it('an http:// server needs no TLS settings and, as with kubectl, gets no credentials', async () => {
    const dir = tempDir();
    const f = put(
      dir,
      'config',
      kubeconfig({ context: 'one', cluster: 'c', server: 'http://127.0.0.1:8001', user: 'u' }),
    );
    const r = await load(cleanEnv(dir), { kubeconfig: f });
    expect(r).toMatchObject({
      ok: true,
      config: {
        cluster: { server: 'http://127.0.0.1:8001' },
        user: { name: 'u', auth: 'none', notSent: 'token' },
      },
    });
    if (r.ok) {
      expect(r.config.clientOptions.clusters[0]?.skipTLSVerify).toBe(true);
      expect(r.config.clientOptions.users).toEqual([]);
    }
  });

  it('an exec plugin for an http:// server is not run (kubectl runs none there)', async () => {
    const dir = tempDir();
    const f = put(
      dir,
      'config',
      [
        'clusters: [{name: c, cluster: {server: http://127.0.0.1:8001}}]',
        'users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws}}}]',
        'contexts: [{name: one, context: {cluster: c, user: u}}]',
        'current-context: one',
        '',
      ].join('\n'),
    );
    const r = await load(cleanEnv(dir), { kubeconfig: f });
    expect(r).toMatchObject({ ok: true, config: { user: { auth: 'none', notSent: 'exec' } } });
    if (r.ok) expect(r.config.exec).toBeUndefined();
  });

  it('an auth-provider user is refused with the exec plugin that replaces it', async () => {
    const dir = tempDir();
    const f = put(
      dir,
      'config',
      [
        'clusters: [{name: c, cluster: {server: https://c.example}}]',
        'users: [{name: u, user: {auth-provider: {name: gcp, config: {cmd-path: /usr/bin/gcloud}}}}]',
        'contexts: [{name: one, context: {cluster: c, user: u}}]',
        'current-context: one',
        '',
      ].join('\n'),
    );
    const r = await load(cleanEnv(dir), { kubeconfig: f });
    expect(r).toMatchObject({ ok: false, problem: { kind: 'unusable' } });
    if (!r.ok) {
      expect(r.problem.message).toMatch(/uses auth-provider "gcp", which irsa-doctor does not run/);
      expect(r.problem.fix).toMatch(/exec credential plugin/);
    }
  });

  it.each([
    [
      'a CA that is no PEM',
      '  cluster: {server: https://c.example, certificate-authority-data: aGVsbG8=}',
      /no PEM certificate/,
    ],
    ['no server', '  cluster: {certificate-authority-data: aGVsbG8=}', /has no server/],
    [
      'a CA with insecure-skip-tls-verify',
      '  cluster: {server: https://c.example, insecure-skip-tls-verify: true, certificate-authority: /etc/ssl/x.pem}',
      /insecure-skip-tls-verify together/,
    ],
    [
      'a missing CA file',
      '  cluster: {server: https://c.example, certificate-authority: /nonexistent/ca.pem}',
      /\/nonexistent\/ca\.pem, which does not exist/,
    ],
  ])('the chosen cluster with %s is unusable, named with its file', async (_what, clusterLine, message) => {
    const dir = tempDir();
    const f = put(
      dir,
      'config',
      [
        'clusters:',
        '- name: c',
        clusterLine,
        'contexts:',
        '- {name: one, context: {cluster: c, user: ""}}',
        'current-context: one',
        '',
      ].join('\n'),
    );
    const r = await load(cleanEnv(dir), { kubeconfig: f });
    expect(r).toMatchObject({ ok: false, problem: { kind: 'unusable' } });
    if (!r.ok) {
      expect(r.problem.message).toMatch(message);
      expect(r.problem.message).toContain(`cluster "c" (clusters[0] in ${f})`);
    }
  });

  it.each([
    ['v1alpha1', 'apiVersion: client.authentication.k8s.io/v1alpha1, command: aws', /no longer runs/],
    [
      'v1 without interactiveMode',
      'apiVersion: client.authentication.k8s.io/v1, command: aws',
      /without interactiveMode/,
    ],
    ['no command', 'apiVersion: client.authentication.k8s.io/v1beta1', /without a command/],
  ])('an exec plugin with %s is unusable', async (_what, exec, message) => {
    const dir = tempDir();
    const f = put(
      dir,
      'config',
      [
        'clusters: [{name: c, cluster: {server: https://c.example}}]',
        'users:',
        '- name: u',
        '  user:',
        `    exec: {${exec}}`,
        'contexts: [{name: one, context: {cluster: c, user: u}}]',
        'current-context: one',
        '',
      ].join('\n'),
    );
    const r = await load(cleanEnv(dir), { kubeconfig: f });
    expect(r).toMatchObject({ ok: false, problem: { kind: 'unusable' } });
    if (!r.ok) expect(r.problem.message).toMatch(message);
  });

  it('an exec v1 plugin with interactiveMode, and a token that makes kubectl ignore the plugin', async () => {
    const dir = tempDir();
    const f = put(
      dir,
      'config',
      [
        'clusters: [{name: c, cluster: {server: https://c.example, extensions: [{name: client.authentication.k8s.io/exec, extension: {audience: x}}]}}]',
        'users:',
        '- {name: v1, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: aws, interactiveMode: Never, provideClusterInfo: true, env: [{name: AWS_PROFILE, value: prod}]}}}',
        '- {name: both, user: {token: static-token-wins, exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws}}}',
        'contexts: [{name: v1, context: {cluster: c, user: v1}}, {name: both, context: {cluster: c, user: both}}]',
        'current-context: v1',
        '',
      ].join('\n'),
    );
    expect(await load(cleanEnv(dir), { kubeconfig: f })).toMatchObject({
      ok: true,
      config: {
        user: { auth: 'exec' },
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1',
          interactiveMode: 'Never',
          provideClusterInfo: true,
          env: [{ name: 'AWS_PROFILE', value: 'prod' }],
          cluster: { server: 'https://c.example', config: { audience: 'x' } },
        },
      },
    });
    const both = await load(cleanEnv(dir), { kubeconfig: f, context: 'both' });
    expect(both).toMatchObject({ ok: true, config: { user: { auth: 'token' } } });
    if (both.ok) expect(both.config.exec).toBeUndefined();
  });
});

describe('loadKubeconfig: in a pod', () => {
  function pod(dir: string, namespace = 'camunda') {
    const sa = join(dir, 'sa');
    put(sa, 'token', 'service-account-token-placeholder');
    put(sa, 'ca.crt', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    put(sa, 'namespace', `${namespace}\n`);
    return sa;
  }
  const service = { KUBERNETES_SERVICE_HOST: '10.100.0.1', KUBERNETES_SERVICE_PORT: '443' };

  it('no kubeconfig, KUBERNETES_SERVICE_HOST/PORT and a mounted token: the ServiceAccount, over https', async () => {
    const dir = tempDir();
    const sa = pod(dir);
    const r = await loadKubeconfig({ env: cleanEnv(dir, service), serviceAccountDir: sa });
    expect(r).toMatchObject({
      ok: true,
      config: {
        source: 'in-cluster',
        cluster: { server: 'https://10.100.0.1:443' },
        user: { auth: 'service-account', file: join(sa, 'token') },
        namespace: { name: 'camunda', from: 'in-cluster' },
      },
    });
    if (r.ok) {
      expect(r.config.clientOptions.users[0]?.token).toBe('service-account-token-placeholder');
      expect(r.config.clientOptions.clusters[0]?.caData).toBeDefined();
    }
    const v6 = await loadKubeconfig({
      env: cleanEnv(dir, { ...service, KUBERNETES_SERVICE_HOST: 'fd00::1', POD_NAMESPACE: 'from-env' }),
      serviceAccountDir: sa,
      namespace: undefined,
    });
    expect(v6).toMatchObject({
      ok: true,
      config: { cluster: { server: 'https://[fd00::1]:443' }, namespace: { name: 'from-env' } },
    });
    const flag = await loadKubeconfig({
      env: cleanEnv(dir, service),
      serviceAccountDir: sa,
      namespace: 'mine',
    });
    expect(flag).toMatchObject({ ok: true, config: { namespace: { name: 'mine', from: 'flag' } } });
  });

  it('IRSA_DOCTOR_SA_DIR points at a ServiceAccount mounted elsewhere, as for the agent', async () => {
    const dir = tempDir();
    const sa = pod(dir, 'billing');
    const r = await loadKubeconfig({ env: cleanEnv(dir, { ...service, IRSA_DOCTOR_SA_DIR: sa }) });
    expect(r).toMatchObject({
      ok: true,
      config: { source: 'in-cluster', namespace: { name: 'billing', from: 'in-cluster' } },
    });
    // The option wins over the variable (tests and callers that know better).
    const other = pod(join(dir, 'other'), 'other');
    const opt = await loadKubeconfig({
      env: cleanEnv(dir, { ...service, IRSA_DOCTOR_SA_DIR: sa }),
      serviceAccountDir: other,
    });
    expect(opt).toMatchObject({ ok: true, config: { namespace: { name: 'other' } } });
  });

  it('the variables without a mounted token are not a pod: nothing found', async () => {
    const dir = tempDir();
    const r = await loadKubeconfig({ env: cleanEnv(dir, service), serviceAccountDir: join(dir, 'none') });
    expect(r).toMatchObject({ ok: false, problem: { kind: 'not-found' } });
  });

  it('in a pod, a kubeconfig wins, but a context without namespace takes the pod namespace (as kubectl)', async () => {
    const dir = tempDir();
    const sa = pod(dir, 'pod-ns');
    const f = put(
      dir,
      'config',
      kubeconfig({ context: 'one', cluster: 'c', server: 'https://c.example', user: 'u' }),
    );
    const r = await loadKubeconfig({
      env: cleanEnv(dir, { ...service, KUBECONFIG: f }),
      serviceAccountDir: sa,
    });
    expect(r).toMatchObject({
      ok: true,
      config: {
        source: 'kubeconfig',
        cluster: { server: 'https://c.example' },
        namespace: { name: 'pod-ns', from: 'in-cluster' },
      },
    });
  });
});
