import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../../src/cli/usage-error.js';
import { parseRunArgs } from '../../../../src/launcher/args/parse-run-args.js';
import { DEFAULT_IMAGE, IMAGE_REPOSITORY } from '../../../../src/launcher/job/image.js';
import { TOOL_VERSION } from '../../../../src/version.js';

describe('parseRunArgs', () => {
  it('reads kubectl-style flags and hands everything after -- to the agent', () => {
    const o = parseRunArgs([
      '-n',
      'camunda',
      '-s',
      'zeebe',
      '--context',
      'prod',
      '--kubeconfig',
      '/k',
      '--timeout',
      '90',
      '--keep',
      '-o',
      'json',
      '--node-selector',
      'role=apps',
      '--node-selector',
      'zone=a',
      '--toleration',
      'dedicated=apps:NoSchedule',
      '--image-pull-secret',
      'ecr',
      '--',
      '--postgres',
      'db',
      '--only',
      'sts',
    ]);
    expect(o).toMatchObject({
      namespace: 'camunda',
      serviceAccount: 'zeebe',
      context: 'prod',
      kubeconfig: '/k',
      timeoutSeconds: 90,
      keep: true,
      output: 'json',
      nodeSelector: { role: 'apps', zone: 'a' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'apps', effect: 'NoSchedule' }],
      imagePullSecrets: ['ecr'],
      agentArgs: ['--postgres', 'db', '--only', 'sts'],
      dryRun: false,
      all: false,
    });
  });

  it('defaults: the image pinned to our version, 120 s, parallel 4, namespace from the kubeconfig', () => {
    const o = parseRunArgs(['-s', 'zeebe']);
    expect(o.image).toBe(`${IMAGE_REPOSITORY}:${TOOL_VERSION}`);
    expect(DEFAULT_IMAGE).toBe(o.image);
    expect(o).toMatchObject({ timeoutSeconds: 120, parallel: 4, keep: false });
    expect(o.namespace).toBeUndefined();
    expect(o.output).toBeUndefined();
  });

  it('--dry-run alone or =client, with -o yaml|json', () => {
    expect(parseRunArgs(['-s', 'a', '--dry-run']).dryRun).toBe(true);
    expect(parseRunArgs(['-s', 'a', '--dry-run=client', '-o', 'yaml']).output).toBe('yaml');
    expect(() => parseRunArgs(['-s', 'a', '--dry-run=server'])).toThrow(UsageError);
    expect(() => parseRunArgs(['-s', 'a', '--dry-run=server'])).toThrow(/kubectl apply --dry-run=server/);
    expect(() => parseRunArgs(['-s', 'a', '-o', 'yaml'])).toThrow(/text, json, sarif, junit or markdown/);
  });

  it('--dry-run client (space-separated, as users type it) is the same as --dry-run=client', () => {
    const spaced = parseRunArgs(['-n', 'x', '-s', 'a', '--dry-run', 'client', '-o', 'json']);
    expect(spaced).toMatchObject({ dryRun: true, output: 'json', namespace: 'x', serviceAccount: 'a' });
    expect(parseRunArgs(['-s', 'a', '--dry-run', '-o', 'yaml'])).toMatchObject({
      dryRun: true,
      output: 'yaml',
    });
    expect(parseRunArgs(['--dry-run', '-s', 'a'])).toMatchObject({ dryRun: true, serviceAccount: 'a' });
    expect(parseRunArgs(['-s', 'a', '--dry-run', 'none']).dryRun).toBe(false);
    expect(() => parseRunArgs(['-s', 'a', '--dry-run', 'server'])).toThrow(
      /--dry-run=server is not supported/,
    );
    expect(() => parseRunArgs(['-s', 'a', '--dry-run=bogus'])).toThrow(/must be "client"/);
    // Only the word after --dry-run is joined: agent flags after -- stay as they are (and the agent
    // has no --dry-run).
    expect(() => parseRunArgs(['-s', 'a', '--', '--dry-run', 'client'])).toThrow(
      /agent flags after "--": unknown flag --dry-run/,
    );
  });

  it('--all and -A', () => {
    expect(parseRunArgs(['--all', '-n', 'x'])).toMatchObject({
      all: true,
      allNamespaces: false,
      namespace: 'x',
    });
    expect(parseRunArgs(['-A', '--parallel', '8'])).toMatchObject({
      all: true,
      allNamespaces: true,
      parallel: 8,
    });
  });

  it.each([
    [[], /which ServiceAccount/],
    [['-s', 'a', '--all'], /not both/],
    [['--all', '-A', '-n', 'x'], /not both/],
    [['-s', 'a', '--timeout', '0'], /--timeout/],
    [['-s', 'a', '--timeout', '1.5'], /--timeout/],
    [['-s', 'a', '--parallel', '0'], /--parallel/],
    [['-s', 'a', '--node-selector', 'nokey'], /--node-selector/],
    [['-s', 'a', '--toleration', 'k=v:Sometimes'], /--toleration/],
    [['-s', 'a', '--bogus'], /bogus/],
    [['-s', 'a', 'extra'], /after "--"/],
    [['-s', 'a', '--', '-o', 'text'], /--output/],
    [['-s', 'a', '--', '--output=text'], /--output/],
    [['-s', 'Not_Valid'], /not a valid ServiceAccount/],
    [['-n', 'UPPER', '-s', 'a'], /not a valid namespace/],
    [['--all', '--dry-run'], /--dry-run/],
    [['-n', 'a'.repeat(64), '-s', 'a'], /at most 63 characters/],
    [['-n', 'a'.repeat(300), '-s', 'a'], /"a{60}…" \(300 characters\) is not a valid namespace/],
    [['-s', 'a'.repeat(254)], /at most 253 characters/],
    [['-s', 'a', '--image-pull-secret', 'a'.repeat(254)], /at most 253 characters/],
    [['-n', 'x', '-s', 'a', '--', '--bogus'], /agent flags after "--": unknown flag --bogus/],
    [['-n', 'x', '-s', 'a', '--', 'stray'], /agent flags after "--": unexpected argument "stray"/],
    [['-n', 'x', '-s', 'a', '--', '--opensearch-service', 'x'], /--opensearch-service must be es or aoss/],
    [['-n', 'x', '-s', 'a', '--', '--list'], /would print no report/],
    [['-n', 'x', '-s', 'a', '--', '-h'], /would print no report/],
    [
      ['-n', 'x', '-s', 'a', '--timeout', '60', '--', '--timeout', '60'],
      /must be under run's --timeout \(60 s\)/,
    ],
    [['-s', 'a', '--image-pull-policy', 'always'], /must be Always, IfNotPresent, Never/],
    [['-s', 'a', '--pod-label', 'job-name=x'], /set by irsa-doctor or the Job controller/],
    [['-s', 'a', '--pod-label', 'k=bad value'], /not a valid label value/],
    [['-s', 'a', '--pod-annotation', 'no-equals'], /--pod-annotation "no-equals": must be KEY=VALUE/],
    [['-s', 'a', '--pod-annotation', `k=${'x'.repeat(300 * 1024)}`], /Kubernetes allows 262144/],
    [['-s', 'a', '--priority-class', 'High'], /not a valid PriorityClass name/],
    [['-s', 'a', '--postgres-ca', 'ca.pem'], /add --postgres HOST after "--"/],
    [
      ['-s', 'a', '--postgres-ca', 'ca.pem', '--', '--postgres', 'db', '--postgres-ca', '/x'],
      /give the bundle once/,
    ],
    [['-s', 'a', '--postgres-ca', 'x', '--postgres-ca-configmap', 'y', '--', '--postgres', 'db'], /not both/],
    [['-s', 'a', '--postgres-ca-configmap', 'rds/a b', '--', '--postgres', 'db'], /NAME or NAME\/KEY/],
    [['-s', 'a', '--cluster', 'has space'], /not an EKS cluster name/],
  ])('usage error for %j', (argv, message) => {
    expect(() => parseRunArgs(argv as string[])).toThrow(message as RegExp);
  });

  it("phrases flag mistakes the shell's way, as UsageError", () => {
    expect(() => parseRunArgs(['-s', 'a', '--namspace', 'x'])).toThrow(
      /unknown flag --namspace \(did you mean --namespace\?\)/,
    );
    expect(() => parseRunArgs(['-s', 'a', '--keep=yes'])).toThrow(/--keep takes no value/);
    expect(() => parseRunArgs(['-s', 'a', '-n'])).toThrow(/-n needs a value/);
    expect(() =>
      parseRunArgs(['-s', 'a', '--image-pull-secret', 'ok', '--image-pull-secret', 'Not_Ok']),
    ).toThrow(/"Not_Ok" is not a valid Secret name/);
    expect(() => parseRunArgs(['-s', 'a', '--image', 'has space'])).toThrow(UsageError);
    // Typos of agent flags after -- get the agent's own "did you mean".
    expect(() => parseRunArgs(['-s', 'a', '--', '--postgress', 'db'])).toThrow(
      /agent flags after "--": unknown flag --postgress \(did you mean --postgres\?\)/,
    );
  });

  it('pod flags, pull policy and CA bundle flags', () => {
    const o = parseRunArgs([
      '-n',
      'x',
      '-s',
      'a',
      '--pod-label',
      'team=platform',
      '--pod-label',
      'team=sre',
      '--pod-annotation',
      'sidecar.istio.io/inject=false',
      '--priority-class',
      'low-priority',
      '--image-pull-policy',
      'Never',
      '--postgres-ca-configmap',
      'rds-ca/global-bundle.pem',
      '--cluster',
      'prod-eks',
      '--',
      '--postgres',
      'db',
    ]);
    expect(o).toMatchObject({
      podLabels: { team: 'sre' },
      podAnnotations: { 'sidecar.istio.io/inject': 'false' },
      priorityClass: 'low-priority',
      imagePullPolicy: 'Never',
      postgresCa: { kind: 'configMap', name: 'rds-ca', key: 'global-bundle.pem' },
      cluster: 'prod-eks',
    });
    expect(
      parseRunArgs(['-s', 'a', '--postgres-ca-configmap', 'rds-ca', '--', '--postgres', 'db']).postgresCa,
    ).toEqual({
      kind: 'configMap',
      name: 'rds-ca',
      key: 'ca.crt',
    });
    expect(parseRunArgs(['-s', 'a', '--postgres-ca', 'b.pem', '--', '--postgres=db']).postgresCa).toEqual({
      kind: 'file',
      file: 'b.pem',
    });
    // Pinned by default, so pulled IfNotPresent; a :latest one is pulled Always, as Kubernetes would.
    expect(parseRunArgs(['-s', 'a']).imagePullPolicy).toBe('IfNotPresent');
    expect(parseRunArgs(['-s', 'a', '--image', 'mirror/irsa-doctor:latest']).imagePullPolicy).toBe('Always');
  });

  it('IRSA_DOCTOR_IMAGE is the default image; --image wins over it', () => {
    const env = { IRSA_DOCTOR_IMAGE: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/irsa-doctor:0.1.0' };
    expect(parseRunArgs(['-s', 'a'], env).image).toBe(env.IRSA_DOCTOR_IMAGE);
    expect(parseRunArgs(['-s', 'a', '--image', 'x/y:1'], env).image).toBe('x/y:1');
    expect(parseRunArgs(['-s', 'a'], { IRSA_DOCTOR_IMAGE: '' }).image).toBe(DEFAULT_IMAGE);
    expect(() => parseRunArgs(['-s', 'a'], { IRSA_DOCTOR_IMAGE: 'a b' })).toThrow(
      /IRSA_DOCTOR_IMAGE "a b" is not an image reference/,
    );
    // A bad variable does not matter when --image is given.
    expect(parseRunArgs(['-s', 'a', '--image', 'x/y:1'], { IRSA_DOCTOR_IMAGE: 'a b' }).image).toBe('x/y:1');
  });

  it('names at their length limits are accepted; valid agent flags pass through unchanged', () => {
    const ns = 'a'.repeat(63);
    const sa = `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(61)}`;
    expect(sa).toHaveLength(253);
    expect(parseRunArgs(['-n', ns, '-s', sa])).toMatchObject({ namespace: ns, serviceAccount: sa });
    const agent = ['--postgres', 'db:5432', '--postgres-user', 'zeebe', '--timeout', '30', '--only', 'sts'];
    expect(parseRunArgs(['-s', 'a', '--', ...agent]).agentArgs).toEqual(agent);
  });

  it('-c/--container goes with --workload only', () => {
    expect(parseRunArgs(['--workload', 'deploy/app', '-c', 'app']).container).toBe('app');
    expect(parseRunArgs(['--workload', 'deploy/app']).container).toBeUndefined();
    expect(() => parseRunArgs(['-s', 'a', '-c', 'app'])).toThrow(/give it with --workload KIND\/NAME/);
  });
});
