// k8s/ moves as one: the kustomization's single `namespace:` line puts every object and every binding's
// ServiceAccount subject in that namespace, for the launcher's RBAC and for the CronJob sweep alike.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { IMAGE_REPOSITORY } from '../../../src/launcher/job/image.js';
import { restrictedViolations } from '../../harness/kube-api-admission.js';
import { kustomizeBuild, type Manifest } from '../../support/kustomize.js';

const K8S = fileURLToPath(new URL('../../../k8s/', import.meta.url));
const DIRS = { 'k8s/': K8S, 'k8s/cronjob/': join(K8S, 'cronjob') };
const CLUSTER_SCOPED = new Set(['ClusterRole', 'ClusterRoleBinding']);

/** Every place a namespace is written in the build, with what it says. */
function namespacesIn(objects: Manifest[]): Array<{ where: string; namespace: unknown }> {
  const out: Array<{ where: string; namespace: unknown }> = [];
  for (const o of objects) {
    const id = `${o.kind}/${o.metadata.name}`;
    if (!CLUSTER_SCOPED.has(o.kind)) out.push({ where: id, namespace: o.metadata.namespace });
    for (const s of (o.subjects ?? []) as Manifest[])
      if (s.kind === 'ServiceAccount') out.push({ where: `${id} subject ${s.name}`, namespace: s.namespace });
  }
  return out;
}

describe.each(Object.entries(DIRS))('kubectl apply -k %s', (_, dir) => {
  it.each(['camunda', 'platform'])('with namespace %s: every object and every subject is there', (ns) => {
    const objects = kustomizeBuild(dir, ns);
    const placed = namespacesIn(objects);
    expect(placed.length).toBeGreaterThan(0);
    expect(placed.filter((p) => p.namespace !== ns)).toEqual([]);
    // Nothing else names a namespace: no leftover of the default anywhere in the objects (the camunda
    // command's own Role and labels are named after Camunda, not after the namespace).
    if (ns !== 'camunda')
      expect(JSON.stringify(objects).replace(/irsa-doctor-camunda|component":"camunda"/g, '')).not.toContain(
        'camunda',
      );
  });

  it('every binding names a ServiceAccount and a role of the same build', () => {
    const objects = kustomizeBuild(dir, 'platform');
    const has = (kind: string, name: string) =>
      objects.some((o) => o.kind === kind && o.metadata.name === name);
    for (const b of objects.filter((o) => o.kind.endsWith('RoleBinding'))) {
      expect(has(b.roleRef.kind, b.roleRef.name), `${b.kind}/${b.metadata.name} roleRef`).toBe(true);
      for (const s of b.subjects as Manifest[]) expect(has('ServiceAccount', s.name)).toBe(true);
    }
  });
});

describe('k8s/cronjob/', () => {
  const objects = kustomizeBuild(DIRS['k8s/cronjob/'], 'platform');
  const cron = objects.find((o) => o.kind === 'CronJob')!;
  const pod = cron.spec.jobTemplate.spec.template.spec;

  it("runs the launcher image of this version as its own ServiceAccount, bound to the launcher's roles", () => {
    const version = JSON.parse(
      readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
    ).version;
    expect(pod.containers[0].image).toBe(`${IMAGE_REPOSITORY}-launcher:${version}`);
    expect(pod.containers[0].args.slice(0, 2)).toEqual(['run', '--all']);
    expect(pod.serviceAccountName).toBe('irsa-doctor-sweep');
    expect(pod.automountServiceAccountToken).toBe(true);
    const bound = objects
      .filter((o) => o.kind.endsWith('RoleBinding'))
      .filter((b) => b.subjects.some((s: Manifest) => s.name === pod.serviceAccountName))
      .map((b) => `${b.kind}:${b.roleRef.kind}/${b.roleRef.name}:${b.subjects[0].namespace}`);
    expect(bound.sort()).toEqual([
      'ClusterRoleBinding:ClusterRole/irsa-doctor-launcher-cluster:platform',
      'RoleBinding:Role/irsa-doctor-launcher:platform',
    ]);
  });

  it('its pod meets Pod Security "restricted" and stays out of a mesh', () => {
    expect(restrictedViolations(pod)).toEqual([]);
    expect(cron.spec.jobTemplate.spec.template.metadata.annotations).toMatchObject({
      'sidecar.istio.io/inject': 'false',
    });
    expect(cron.spec.concurrencyPolicy).toBe('Forbid');
  });
});

describe('the renderer follows kustomize where the old manifests went wrong', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'irsa-doctor-kustomize-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const write = (sub: string, files: Record<string, string>) => {
    mkdirSync(join(tmp, sub), { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(tmp, sub, name), text);
    return join(tmp, sub);
  };
  const sa = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: launcher\n';
  const crb = (subjectNs: string) =>
    `---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: x\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: x\nsubjects:\n  - kind: ServiceAccount\n    name: launcher\n${subjectNs}`;
  const kustomization = (ns: string, resources: string[]) =>
    `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: ${ns}\nresources:\n${resources.map((r) => `  - ${r}\n`).join('')}`;

  it('a subject with its namespace written out keeps it when the kustomization moves (the old bug)', () => {
    const dir = write('old', {
      'kustomization.yaml': kustomization('camunda', ['rbac.yaml']),
      'rbac.yaml': sa + crb('    namespace: camunda\n'),
    });
    const subject = kustomizeBuild(dir, 'platform').find((o) => o.kind === 'ClusterRoleBinding')!.subjects[0];
    expect(subject.namespace).toBe('camunda');
  });

  it('a subject without one follows its ServiceAccount, also through an overlay', () => {
    const base = write('new', {
      'kustomization.yaml': kustomization('camunda', ['rbac.yaml']),
      'rbac.yaml': sa + crb(''),
    });
    expect(
      kustomizeBuild(base, 'platform').find((o) => o.kind === 'ClusterRoleBinding')!.subjects[0],
    ).toEqual({
      kind: 'ServiceAccount',
      name: 'launcher',
      namespace: 'platform',
    });
    const overlay = write('overlay', { 'kustomization.yaml': kustomization('billing', ['../new']) });
    const objects = kustomizeBuild(overlay);
    expect(namespacesIn(objects).map((p) => p.namespace)).toEqual(['billing', 'billing']);
  });

  it('refuses what it does not model: another field, a file outside the directory', () => {
    const extra = write('extra', {
      'kustomization.yaml': `${kustomization('a', ['rbac.yaml'])}namePrefix: p-\n`,
      'rbac.yaml': sa,
    });
    expect(() => kustomizeBuild(extra)).toThrow(/namePrefix/);
    const outside = write('outside', { 'kustomization.yaml': kustomization('a', ['../new/rbac.yaml']) });
    expect(() => kustomizeBuild(outside)).toThrow(/outside/);
  });
});
