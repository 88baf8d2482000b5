import type { CamundaComponent, ComponentId, Fact } from './camunda-component.js';

/**
 * Where the Helm release and the running workloads disagree: a component one side has and the other
 * lacks, a different ServiceAccount or role, or a database/OpenSearch setting that differs. Sources
 * are kept so a report can say which value and key on each side. A value only one side knows (a
 * role ARN when ServiceAccounts were not read, a URL from a Secret) is not drift.
 */
export interface Drift {
  readonly component: ComponentId;
  /** `present`, `workload.name`, `serviceAccount`, `roleArn`, `postgres[datasource].host`, ... */
  readonly field: string;
  readonly release?: Fact<unknown>;
  readonly live?: Fact<unknown>;
}

export function diffComponents(
  fromRelease: readonly CamundaComponent[],
  fromWorkloads: readonly CamundaComponent[],
): Drift[] {
  const drifts: Drift[] = [];
  const ids = [...new Set([...fromRelease, ...fromWorkloads].map((c) => c.id))];
  for (const id of ids) {
    const r = fromRelease.find((c) => c.id === id);
    const l = fromWorkloads.find((c) => c.id === id);
    if (!r || !l) {
      drifts.push({
        component: id,
        field: 'present',
        ...(r ? { release: { value: true, source: 'release values' } } : {}),
        ...(l ? { live: { value: true, source: l.workload.name.source } } : {}),
      });
      continue;
    }
    const cmp = (field: string, a: Fact<unknown> | undefined, b: Fact<unknown> | undefined, both = true) => {
      if (both && (!a || !b)) return;
      if (a?.value !== b?.value)
        drifts.push({ component: id, field, ...(a ? { release: a } : {}), ...(b ? { live: b } : {}) });
    };
    cmp('workload.name', r.workload.name, l.workload.name);
    cmp('serviceAccount', r.serviceAccount, l.serviceAccount);
    cmp('roleArn', r.roleArn, l.roleArn);
    for (const purpose of new Set([...r.postgres, ...l.postgres].map((u) => u.purpose))) {
      const a = r.postgres.find((u) => u.purpose === purpose);
      const b = l.postgres.find((u) => u.purpose === purpose);
      const f = `postgres[${purpose}]`;
      if (!a || !b) {
        cmp(
          `${f}`,
          a && { value: true, source: a.url?.source ?? 'release' },
          b && { value: true, source: b.url?.source ?? 'live' },
          false,
        );
        continue;
      }
      cmp(`${f}.host`, a.host, b.host);
      cmp(`${f}.port`, a.port, b.port);
      cmp(`${f}.database`, a.database, b.database);
      cmp(`${f}.user`, a.user, b.user);
      cmp(`${f}.iam`, a.iam, b.iam);
      cmp(`${f}.driver`, a.driver, b.driver, false);
    }
    for (const purpose of new Set([...r.opensearch, ...l.opensearch].map((u) => u.purpose))) {
      const a = r.opensearch.find((u) => u.purpose === purpose);
      const b = l.opensearch.find((u) => u.purpose === purpose);
      const f = `opensearch[${purpose}]`;
      if (!a || !b) {
        cmp(
          `${f}`,
          a && { value: true, source: a.url?.source ?? 'release' },
          b && { value: true, source: b.url?.source ?? 'live' },
          false,
        );
        continue;
      }
      cmp(`${f}.host`, a.host, b.host);
      cmp(`${f}.port`, a.port, b.port);
      cmp(`${f}.protocol`, a.protocol, b.protocol);
      cmp(`${f}.aws`, a.aws, b.aws);
      cmp(`${f}.username`, a.username, b.username);
    }
  }
  return drifts;
}
