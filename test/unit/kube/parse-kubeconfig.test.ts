// Shape errors say what is wrong and where. kubectl v1.32.4 refuses each of these files too
// (with a Go type name), except where a comment says otherwise.
import { describe, expect, it } from 'vitest';
import { KubeconfigError } from '../../../src/kube/kubeconfig-error.js';
import { parseKubeconfig } from '../../../src/kube/parse-kubeconfig.js';

const FILE = '/home/me/.kube/config';

function problem(text: string): string {
  try {
    parseKubeconfig(text, FILE);
  } catch (e) {
    if (e instanceof KubeconfigError && e.kind === 'file-invalid') return e.message;
    throw e;
  }
  throw new Error('parsed without complaint');
}

describe('parseKubeconfig', () => {
  it('clusters: 42 -> "FILE: clusters must be a list"', () => {
    expect(problem('clusters: 42\n')).toBe(`${FILE}: clusters must be a list (found a number)`);
  });

  it.each([
    ['current-context: 5\n', 'current-context must be a string (found a number)'],
    ['clusters:\n- 5\n', 'clusters[0] must be a mapping with name and cluster (found a number)'],
    ['clusters:\n- name: x\n  cluster: 5\n', 'clusters[0].cluster must be a mapping (found a number)'],
    [
      'clusters:\n- name: x\n  cluster: {server: [a]}\n',
      'clusters[0].cluster.server must be a string (found a list)',
    ],
    [
      'clusters:\n- name: x\n  cluster: {insecure-skip-tls-verify: "true"}\n',
      'clusters[0].cluster.insecure-skip-tls-verify must be true or false (found a string)',
    ],
    [
      'clusters:\n- name: x\n  cluster: {certificate-authority-data: "not base64!"}\n',
      'clusters[0].cluster.certificate-authority-data is not base64',
    ],
    [
      'users:\n- name: u\n  user: {exec: {command: aws, args: aws}}\n',
      'users[0].user.exec.args must be a list (found a string)',
    ],
    [
      'users:\n- name: u\n  user: {exec: {command: aws, env: [{name: 1}]}}\n',
      'users[0].user.exec.env[0].name must be a string (found a number)',
    ],
    [
      'contexts:\n- name: c\n  context: {namespace: 7}\n',
      'contexts[0].context.namespace must be a string (found a number)',
    ],
    ['kind: Pod\n', 'kind must be Config (found "Pod")'],
    ['apiVersion: v2\n', 'apiVersion must be v1 (found "v2")'],
    ['- a\n- b\n', 'the file must be a mapping'],
    [
      'clusters:\n- name: x\n  cluster: {}\n- name: x\n  cluster: {}\n',
      'clusters[1]: the name "x" is already used by clusters[0]',
    ],
    // kubectl accepts a nameless entry (name ""), which nothing can usefully refer to.
    ['users:\n- user: {token: t}\n', 'users[0].name is missing'],
  ])('%j', (text, message) => {
    expect(problem(text)).toContain(`${FILE}: ${message}`);
  });

  it('YAML errors give the position, never the text around it (it may be a token)', () => {
    const m = problem('users:\n- name: u\n  user:\n    token: secret-token-value\n      bad: [\n');
    expect(m).toMatch(/^\/home\/me\/\.kube\/config: not valid YAML: .* at line \d+, column \d+$/);
    expect(m).not.toContain('secret-token-value');
  });

  it('reads YAML as kubectl does: YAML 1.1 booleans, merge keys, the first document, null as absent, unknown fields ignored', () => {
    const f = parseKubeconfig(
      [
        'base: &base {server: https://x.example}',
        'clusters:',
        '- name: x',
        '  cluster:',
        '    <<: *base',
        '    insecure-skip-tls-verify: yes',
        '    some-future-field: {a: 1}',
        'users: null',
        'contexts:',
        '- name: c',
        '  context: {cluster: x, user: "", namespace: 2024-01-01}',
        'current-context: c',
        '---',
        'current-context: ignored',
        '',
      ].join('\n'),
      FILE,
    );
    expect(f.clusters.get('x')?.value).toMatchObject({
      server: 'https://x.example',
      'insecure-skip-tls-verify': true,
    });
    expect(f.users.size).toBe(0);
    // go-yaml v2 keeps a timestamp-looking value a string.
    expect(f.contexts.get('c')?.value.namespace).toBe('2024-01-01');
    expect(f.currentContext).toBe('c');
  });

  it('an empty or comment-only file is an empty kubeconfig', () => {
    expect(parseKubeconfig('', FILE).clusters.size).toBe(0);
    expect(parseKubeconfig('# nothing yet\n', FILE).currentContext).toBe('');
  });
});
