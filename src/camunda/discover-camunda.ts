import { finding } from '../report/finding.js';
import type { Finding } from '../report/types.js';
import type { CamundaComponent, ChartLine, ComponentId, Fact } from './camunda-component.js';
import { componentSpecs } from './component-catalog.js';
import { componentsFromRelease } from './components-from-values.js';
import { componentsFromWorkloads } from './components-from-workloads.js';
import { type Drift, diffComponents } from './diff-components.js';
import type { HelmRelease } from './helm-release.js';
import type { HelmReleaseHistory } from './helm-release-histories.js';
import type { PodSpecLike, ServiceAccountLike } from './kube-objects.js';
import type { NamespaceInventory, ReadFailure } from './read-namespace.js';

/**
 * One Camunda deployment as discovery sees it: the release it came from (when Helm installed it),
 * each component with the model of what really runs (the live workload; the release's prediction
 * for a component that runs nowhere), where its pods run, and how the two sources disagree. The
 * findings here are about the deployment as a whole; judge-component.ts judges each component.
 */

export interface DiscoveredComponent {
  readonly id: ComponentId;
  /** The live workload's model when it runs, else the release's prediction. */
  readonly model: CamundaComponent;
  readonly running: boolean;
  /** The running workload's pod template: where the agent must run to see what its pods see. */
  readonly podSpec?: PodSpecLike;
  readonly drift: readonly Drift[];
}

export interface CamundaDiscovery {
  readonly namespace: string;
  readonly release?: { readonly release: HelmRelease; readonly history: HelmReleaseHistory };
  readonly line?: Fact<ChartLine>;
  readonly components: readonly DiscoveredComponent[];
  /** About the deployment as a whole: the release, reads that failed, nothing found. */
  readonly findings: readonly Finding[];
  readonly serviceAccounts?: readonly ServiceAccountLike[];
}

export interface DiscoverOptions {
  readonly releaseName?: string;
  readonly onSecret?: (value: string) => void;
}

export function discoverCamunda(inv: NamespaceInventory, opts: DiscoverOptions = {}): CamundaDiscovery {
  const ns = inv.namespace;
  const findings: Finding[] = inv.failures.map((f) => readFailureFinding(f, ns));
  const base = {
    namespace: ns,
    ...(inv.serviceAccounts ? { serviceAccounts: inv.serviceAccounts } : {}),
  };
  if (inv.failures.some((f) => f.needed)) return { ...base, components: [], findings };

  const read = inv.release;
  let chosen: CamundaDiscovery['release'];
  if (read?.ok) {
    chosen = { release: read.release, history: read.history };
  } else if (read && read.problem === 'ambiguous') {
    findings.push(ambiguous(ns, read.releases, 'releases'));
    return { ...base, components: [], findings };
  }
  const releaseName = chosen?.release.name ?? opts.releaseName;
  const predicted = chosen ? componentsFromRelease(chosen.release) : undefined;
  const releaseLine = predicted?.ok ? predicted.line : undefined;
  const live = componentsFromWorkloads(inv, {
    ...(releaseName !== undefined ? { releaseName } : {}),
    ...(releaseLine ? { line: releaseLine.value } : {}),
    ...(opts.onSecret ? { onSecret: opts.onSecret } : {}),
  });
  if (releaseName === undefined && live.instances.length > 1) {
    findings.push(ambiguous(ns, live.instances, 'instances'));
    return { ...base, components: [], findings };
  }
  const line = releaseLine ?? live.line;
  findings.push(...releaseFindings(ns, read, chosen, predicted, opts.releaseName, live.components.length));
  const fromRelease = predicted?.ok ? predicted.components : [];
  if (fromRelease.length === 0 && live.components.length === 0) {
    findings.push(
      finding(
        'CAMUNDA-NOT-FOUND',
        `No Camunda 8 deployment in namespace ${ns}${opts.releaseName !== undefined ? ` for release ${opts.releaseName}` : ''}: no camunda-platform release, and no Deployment or StatefulSet with the chart's labels.`,
        {
          fix: {
            hint: opts.releaseName !== undefined ? `; check --release ${opts.releaseName}` : '',
          },
        },
      ),
    );
    return { ...base, ...(line ? { line } : {}), components: [], findings };
  }
  const drift = chosen && predicted?.ok ? diffComponents(fromRelease, live.components) : [];
  const workloads = [
    ...inv.statefulSets.map((w) => ['StatefulSet', w] as const),
    ...inv.deployments.map((w) => ['Deployment', w] as const),
  ];
  const podSpecOf = (c: CamundaComponent): PodSpecLike | undefined =>
    workloads.find(([kind, w]) => kind === c.workload.kind && w.metadata?.name === c.workload.name.value)?.[1]
      .spec?.template?.spec;
  const components: DiscoveredComponent[] = [];
  for (const c of live.components) {
    const podSpec = podSpecOf(c);
    components.push({
      id: c.id,
      model: c,
      running: true,
      ...(podSpec ? { podSpec } : {}),
      drift: drift.filter((d) => d.component === c.id),
    });
  }
  for (const c of fromRelease) {
    if (live.components.some((l) => l.id === c.id)) continue;
    components.push({ id: c.id, model: c, running: false, drift: drift.filter((d) => d.component === c.id) });
  }
  const order = line ? componentSpecs(line.value).map((s) => s.id) : [];
  components.sort((a, b) => rank(order, a.id) - rank(order, b.id));
  return { ...base, ...(chosen ? { release: chosen } : {}), ...(line ? { line } : {}), components, findings };
}

function rank(order: readonly ComponentId[], id: ComponentId): number {
  const i = order.indexOf(id);
  return i < 0 ? order.length : i;
}

function releaseFindings(
  ns: string,
  read: NamespaceInventory['release'],
  chosen: CamundaDiscovery['release'],
  predicted: ReturnType<typeof componentsFromRelease> | undefined,
  asked: string | undefined,
  liveCount: number,
): Finding[] {
  const out: Finding[] = [];
  if (chosen) {
    const { release: r, history } = chosen;
    const line = predicted?.ok ? predicted.line.value : undefined;
    out.push(
      finding(
        'CAMUNDA-RELEASE',
        `Helm release ${r.name} revision ${r.revision} (deployed), chart ${r.chart.name} ${r.chart.version} (app ${r.chart.appVersion}${line ? `, Camunda ${line}` : ''}); each component's facts name their source: values of this revision (values:, chart-default:) or the live workloads (${liveCount} read).`,
        {
          details: {
            release: r.name,
            revision: r.revision,
            status: 'deployed',
            chart: r.chart.name,
            chartVersion: r.chart.version,
            appVersion: r.chart.appVersion,
            ...(line ? { line } : {}),
            revisions: history.revisions,
            ...(r.redacted.length ? { redactedValues: r.redacted.length } : {}),
          },
        },
      ),
    );
    if (!predicted?.ok && predicted)
      out.push(
        finding(
          'CAMUNDA-RELEASE-UNREADABLE',
          `Release ${r.name}: ${predicted.message}; its values were not compared with the live workloads.`,
          { fix: { release: r.name, namespace: ns } },
        ),
      );
    const newest = history.newer[0];
    if (newest)
      out.push(
        finding(
          'CAMUNDA-RELEASE-UPGRADE-FAILED',
          `Release ${r.name}: revision ${newest.revision} is ${newest.status}; the pods run deployed revision ${r.revision}, which is the one read here.`,
          {
            fix: { release: r.name, namespace: ns, revision: newest.revision, deployed: r.revision },
            details: {
              deployed: r.revision,
              newer: history.newer.map((n) => ({ revision: n.revision, status: n.status })),
            },
          },
        ),
      );
    return out;
  }
  if (read && !read.ok && read.problem === 'no-deployed-revision' && read.history) {
    const latest = read.history.latest;
    out.push(
      finding(
        'CAMUNDA-RELEASE-UPGRADE-FAILED',
        `Release ${read.history.name} has no deployed revision: revision ${latest.revision} is ${latest.status}. Only the live workloads were read.`,
        {
          fix: { release: read.history.name, namespace: ns, revision: latest.revision, deployed: 'PREVIOUS' },
          details: { deployed: null, newer: [{ revision: latest.revision, status: latest.status }] },
        },
      ),
    );
  }
  const decodeProblems = ['too-large', 'not-base64', 'corrupt-gzip', 'not-json', 'not-a-release'];
  if (read && !read.ok && decodeProblems.includes(read.problem)) {
    out.push(
      finding('CAMUNDA-RELEASE-UNREADABLE', `${read.message}; only the live workloads were read.`, {
        fix: { release: read.releases[0], namespace: ns },
        details: { problem: read.problem },
      }),
    );
  }
  const why =
    read === undefined
      ? 'the Helm release Secrets could not be read (see CAMUNDA-KUBE-ERROR)'
      : !read.ok && read.problem === 'not-camunda'
        ? read.message
        : asked !== undefined
          ? `no deployed Helm release ${asked}`
          : 'no camunda-platform Helm release';
  out.push(
    finding(
      'CAMUNDA-NO-RELEASE',
      `Namespace ${ns}: ${why}; the components are read from the live Deployments and StatefulSets (Argo CD, helm template and kubectl apply leave no release).`,
      { details: { ...(asked !== undefined ? { release: asked } : {}) } },
    ),
  );
  return out;
}

function ambiguous(ns: string, names: readonly string[], what: 'releases' | 'instances'): Finding {
  return finding(
    'CAMUNDA-RELEASE-AMBIGUOUS',
    what === 'releases'
      ? `Namespace ${ns} holds ${names.length} camunda-platform releases (${names.join(', ')}); name the one to diagnose.`
      : `Namespace ${ns} runs Camunda workloads of ${names.length} installations (app.kubernetes.io/instance ${names.join(', ')}); name the one to diagnose.`,
    { fix: { candidates: names.join(', ') }, details: { candidates: [...names] } },
  );
}

function readFailureFinding(f: ReadFailure, ns: string): Finding {
  const e = f.error;
  const how = e.forbidden
    ? 'forbidden by RBAC'
    : e.noAnswer
      ? `no answer (${e.noAnswer})`
      : e.notKubernetes
        ? 'the answer was not Kubernetes'
        : `HTTP ${e.status ?? '?'}`;
  return finding(
    'CAMUNDA-KUBE-ERROR',
    `Could not ${f.verb} ${f.what} in ${ns} (${how}: ${e.message})${f.needed ? '; nothing could be diagnosed' : '; the rest was diagnosed without it'}.`,
    {
      status: f.needed ? 'fail' : 'warn',
      fix: { namespace: ns },
      details: {
        read: `${f.verb} ${f.resource}`,
        ...(e.status !== undefined ? { status: e.status } : {}),
        ...(e.server ? { server: e.server } : {}),
      },
    },
  );
}

/** The workload a component runs as, `kind/name` the way kubectl takes it. */
export function workloadRef(c: CamundaComponent): string {
  return `${c.workload.kind.toLowerCase()}/${c.workload.name.value}`;
}
