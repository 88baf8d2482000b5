// What the RBAC manifests in k8s/ grant, judged for the requests the loopback Kubernetes API recorded: the
// scenarios prove that the roles we ship are enough for what the commands really do.
import { readFileSync } from 'node:fs';
import type { V1PolicyRule } from '@kubernetes/client-node';
import { loadAll as loadAllYaml } from 'js-yaml';
import type { RecordedRequest } from '../harness/kube-api.js';
import { GROUP } from '../harness/kube-api-status.js';

interface RbacDocument {
  kind: string;
  metadata: { name: string };
  rules?: V1PolicyRule[];
}

/** The rules of one Role or ClusterRole in a manifest under k8s/. */
export function rbacRules(manifest: string, kind: 'Role' | 'ClusterRole', name: string): V1PolicyRule[] {
  const text = readFileSync(new URL(`../../k8s/${manifest}`, import.meta.url), 'utf8');
  const docs = loadAllYaml(text) as RbacDocument[];
  const doc = docs.find((d) => d?.kind === kind && d.metadata.name === name);
  if (!doc) throw new Error(`k8s/${manifest} has no ${kind} ${name}`);
  return doc.rules ?? [];
}

/** Whether any of `rules` allows the recorded request (API group, resource, verb, resourceNames). */
export function rbacAllows(rules: readonly V1PolicyRule[], r: RecordedRequest): boolean {
  const group = GROUP[r.resource ?? ''] ?? '';
  return rules.some(
    (rule) =>
      (rule.apiGroups ?? []).includes(group) &&
      (rule.resources ?? []).includes(r.resource ?? '') &&
      (rule.verbs ?? []).includes(r.verb) &&
      (!rule.resourceNames || (r.name !== undefined && rule.resourceNames.includes(r.name))),
  );
}
