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

  it('names at their length limits are accepted; valid agent flags pass through unchanged', () => {
    const ns = 'a'.repeat(63);
    const sa = `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(61)}`;
    expect(sa).toHaveLength(253);
    expect(parseRunArgs(['-n', ns, '-s', sa])).toMatchObject({ namespace: ns, serviceAccount: sa });
    const agent = ['--postgres', 'db:5432', '--postgres-user', 'zeebe', '--timeout', '30', '--only', 'sts'];
    expect(parseRunArgs(['-s', 'a', '--', ...agent]).agentArgs).toEqual(agent);
  });
});
