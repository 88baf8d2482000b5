// The chart emulator's toolbox: values access with Go-template truthiness, the chart's naming
// helpers (camundaPlatform.fullname / componentFullname, Bitnami common.names.fullname) and
// builders for the Kubernetes objects the templates emit. Written from the templates, not from
// the product's src/camunda code, so the fixtures can check the product.
import type { Line, Values } from './chart-defaults.js';

// biome-ignore lint/suspicious/noExplicitAny: Kubernetes objects are open-ended JSON.
export type K8sObject = { apiVersion: string; kind: string; metadata: any; [k: string]: any };

export interface Ctx {
  line: Line;
  chartVersion: string;
  release: string;
  namespace: string;
  /** Merged values (user over chart defaults). */
  v: Values;
}

/** `helm install` merging for the fixtures: maps merge, lists and scalars replace, null deletes. */
export function mergeValues(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [k, val] of Object.entries(over)) {
    if (val === null) delete out[k];
    else if (isMap(val) && isMap(out[k])) out[k] = mergeValues(out[k] as Values, val);
    else out[k] = val;
  }
  for (const [k, val] of Object.entries(out)) if (val === null) delete out[k];
  return out;
}

export function isMap(x: unknown): x is Values {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

export function get(v: unknown, path: string): unknown {
  let cur = v;
  for (const k of path.split('.')) {
    if (!isMap(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/** Go template truthiness. */
export function on(v: unknown, path?: string): boolean {
  const x = path === undefined ? v : get(v, path);
  if (x === undefined || x === null || x === false || x === 0 || x === '') return false;
  if (Array.isArray(x)) return x.length > 0;
  if (isMap(x)) return Object.keys(x).length > 0;
  return true;
}

export function str(v: unknown, path?: string): string {
  const x = path === undefined ? v : get(v, path);
  return x === undefined || x === null ? '' : String(x);
}

/** Go's `quote`. */
export const q = (s: unknown) => JSON.stringify(s === undefined || s === null ? '' : String(s));

export function tpl(ctx: Ctx, s: string): string {
  return s
    .replace(/\{\{-?\s*\.Release\.Name\s*-?\}\}/g, ctx.release)
    .replace(/\{\{-?\s*\.Release\.Namespace\s*-?\}\}/g, ctx.namespace);
}

export function trunc(s: string, n = 63): string {
  const c = s.slice(0, n);
  return c.endsWith('-') ? c.slice(0, -1) : c;
}

/** camundaPlatform.componentFullname */
export function componentFullname(ctx: Ctx, name: string, values: unknown): string {
  if (on(values, 'fullnameOverride')) return trunc(str(values, 'fullnameOverride'));
  const n = on(values, 'nameOverride') ? str(values, 'nameOverride') : name;
  return ctx.release.includes(n) ? trunc(ctx.release) : trunc(`${ctx.release}-${n}`);
}

/** camundaPlatform.fullname */
export function platformFullname(ctx: Ctx): string {
  return componentFullname(ctx, 'camunda-platform', ctx.v);
}

/** camundaPlatform.serviceAccountName */
export function serviceAccountName(values: unknown, fullname: string): string {
  if (on(values, 'serviceAccount.enabled'))
    return on(values, 'serviceAccount.name') ? str(values, 'serviceAccount.name') : fullname;
  return on(values, 'serviceAccount.name') ? str(values, 'serviceAccount.name') : 'default';
}

export function platformLabels(ctx: Ctx, component: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, val] of Object.entries((get(ctx.v, 'global.labels') as Values) ?? {}))
    labels[k] = String(val);
  return {
    ...labels,
    'app.kubernetes.io/name': on(ctx.v, 'nameOverride') ? str(ctx.v, 'nameOverride') : 'camunda-platform',
    'app.kubernetes.io/instance': ctx.release,
    'app.kubernetes.io/managed-by': 'Helm',
    'app.kubernetes.io/part-of': 'camunda-platform',
    'helm.sh/chart': `camunda-platform-${ctx.chartVersion}`,
    'app.kubernetes.io/component': component,
  };
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: Values;
}

export const envValue = (name: string, value: string): EnvVar => ({ name, value });
export const envSecret = (name: string, secret: string, key: string): EnvVar => ({
  name,
  valueFrom: { secretKeyRef: { name: secret, key } },
});
export const envField = (name: string, fieldPath: string): EnvVar => ({
  name,
  valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } },
});

/** A values `env:` list as `tpl (toYaml .)` renders it. */
export function valuesEnv(ctx: Ctx, list: unknown): EnvVar[] {
  if (!Array.isArray(list)) return [];
  return list.map((e) => {
    const entry = e as EnvVar;
    return entry.value === undefined ? { ...entry } : { ...entry, value: tpl(ctx, String(entry.value)) };
  });
}

export interface PodParts {
  serviceAccountName: string;
  container: {
    name: string;
    image: string;
    env: EnvVar[];
    envFrom?: Values[];
    volumeMounts?: Values[];
    args?: string[];
  };
  volumes?: Values[];
  /** The component's values, whose nodeSelector, tolerations and affinity the templates copy (`with`). */
  placement?: unknown;
}

export function workload(
  ctx: Ctx,
  kind: 'Deployment' | 'StatefulSet',
  name: string,
  labels: Record<string, string>,
  pod: PodParts,
): K8sObject {
  const { 'helm.sh/chart': _chart, 'app.kubernetes.io/version': _v, ...match } = labels;
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: {
      name,
      namespace: ctx.namespace,
      labels,
      annotations: { 'meta.helm.sh/release-name': ctx.release },
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: match },
      ...(kind === 'StatefulSet' ? { serviceName: name, podManagementPolicy: 'Parallel' } : {}),
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: pod.serviceAccountName,
          ...placementOf(pod.placement),
          containers: [
            {
              imagePullPolicy: 'IfNotPresent',
              ...pod.container,
              ...(pod.container.envFrom?.length ? {} : { envFrom: undefined }),
            },
          ].map(stripUndefined),
          volumes: pod.volumes ?? [],
        },
      },
    },
  };
}

/** `{{- with .Values.<c>.nodeSelector }}` and its siblings: each rendered only when non-empty. */
function placementOf(values: unknown): Values {
  const out: Values = {};
  for (const key of ['nodeSelector', 'tolerations', 'affinity'])
    if (on(values, key)) out[key] = structuredClone(get(values, key));
  return out;
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function configMap(
  ctx: Ctx,
  name: string,
  labels: Record<string, string>,
  data: Record<string, string>,
): K8sObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ctx.namespace, labels }, data };
}

/** A component's serviceaccount.yaml: created when serviceAccount.enabled, with its annotations. */
export function serviceAccount(
  ctx: Ctx,
  name: string,
  values: unknown,
  labels: Record<string, string>,
): K8sObject[] {
  if (!on(values, 'serviceAccount.enabled')) return [];
  const annotations = get(values, 'serviceAccount.annotations');
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name,
        namespace: ctx.namespace,
        labels,
        ...(on(annotations) ? { annotations: { ...(annotations as Values) } } : {}),
      },
      automountServiceAccountToken: Boolean(get(values, 'serviceAccount.automountServiceAccountToken')),
    },
  ];
}

export const configVolume = (configMapName: string): Values => ({
  name: 'config',
  configMap: { name: configMapName, defaultMode: 492 },
});

export const configMount = (path: string, subPath: string): Values => ({
  name: 'config',
  mountPath: path,
  subPath,
});
