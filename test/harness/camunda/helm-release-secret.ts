// A Helm release stored the way Helm 3 stores it (helm/helm pkg/storage/driver/secrets.go and
// util.go): the release JSON, gzipped at best compression, base64-encoded, in the `release` key of
// a `helm.sh/release.v1` Secret named sh.helm.release.v1.NAME.vN, labelled name/owner/status/
// version. Secret data is base64 once more on the wire, as the API returns it.
import { gzipSync } from 'node:zlib';
import type { Values } from './chart-defaults.js';
import type { K8sObject } from './render-support.js';

export type HelmStatus =
  | 'deployed'
  | 'superseded'
  | 'failed'
  | 'pending-install'
  | 'pending-upgrade'
  | 'pending-rollback'
  | 'uninstalling';

export interface ReleaseRecord {
  name: string;
  namespace: string;
  revision: number;
  status: HelmStatus;
  chartVersion: string;
  appVersion: string;
  /** The chart's values.yaml (chart.values). */
  chartValues: Values;
  /** The user's values (config). */
  config: Values;
  manifest: string;
  deployedAt?: Date;
}

/** The release as Helm's json.Marshal writes it (Go field order and names, []byte as base64). */
export function releaseJson(r: ReleaseRecord): string {
  const at = (r.deployedAt ?? new Date('2026-05-01T10:00:00Z')).toISOString();
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return JSON.stringify({
    name: r.name,
    info: {
      first_deployed: '2026-04-01T09:00:00.000000000Z',
      last_deployed: at,
      deleted: '',
      description:
        r.status === 'failed' ? 'Upgrade "camunda" failed: context deadline exceeded' : 'Upgrade complete',
      status: r.status,
      notes: '# (camunda-platform - 8.x)\n',
    },
    chart: {
      metadata: {
        name: 'camunda-platform',
        home: 'https://docs.camunda.io/docs/self-managed/about-self-managed/',
        sources: ['https://github.com/camunda/camunda-platform-helm'],
        version: r.chartVersion,
        description: 'Camunda 8 Self-Managed Helm charts.',
        keywords: ['bpm', 'camunda-platform'],
        apiVersion: 'v2',
        appVersion: r.appVersion,
        dependencies: [{ name: 'common', version: '2.x.x', repository: 'file://../common-2' }],
        type: 'application',
      },
      lock: null,
      templates: [
        { name: 'templates/NOTES.txt', data: b64('# (camunda-platform)\n') },
        { name: 'templates/zeebe/_helpers.tpl', data: b64('{{/* vim: set filetype=mustache: */}}\n') },
      ],
      values: r.chartValues,
      schema: null,
      files: [{ name: 'README.md', data: b64('# Camunda 8 Helm Chart\n') }],
    },
    config: r.config,
    manifest: r.manifest,
    hooks: [],
    version: r.revision,
    namespace: r.namespace,
  });
}

export function helmReleaseSecret(r: ReleaseRecord, opts: { gzip?: boolean } = {}): K8sObject {
  const json = Buffer.from(releaseJson(r));
  // Releases stored before Helm compressed them are plain base64 JSON (util.go checks the magic).
  const payload = opts.gzip === false ? json : gzipSync(json, { level: 9 });
  const helmEncoded = payload.toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'helm.sh/release.v1',
    metadata: {
      name: `sh.helm.release.v1.${r.name}.v${r.revision}`,
      namespace: r.namespace,
      labels: {
        name: r.name,
        owner: 'helm',
        status: r.status,
        version: String(r.revision),
        createdAt: String(Math.floor((r.deployedAt ?? new Date('2026-05-01T10:00:00Z')).getTime() / 1000)),
      },
    },
    data: { release: Buffer.from(helmEncoded).toString('base64') },
  };
}
