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
    // Connections pair by purpose (datasource, secondary storage, ...); one side without it is drift.
    const connections = <T extends { purpose: string; url?: Fact<string> }>(
      kind: string,
      release: readonly T[],
      live: readonly T[],
      /** each field, and whether it is compared only when both sides know it */
      fields: ReadonlyArray<readonly [keyof T & string, boolean]>,
    ) => {
      for (const purpose of new Set([...release, ...live].map((u) => u.purpose))) {
        const a = release.find((u) => u.purpose === purpose);
        const b = live.find((u) => u.purpose === purpose);
        const f = `${kind}[${purpose}]`;
        if (!a || !b) {
          cmp(
            f,
            a && { value: true, source: a.url?.source ?? 'release' },
            b && { value: true, source: b.url?.source ?? 'live' },
            false,
          );
          continue;
        }
        for (const [field, both] of fields)
          cmp(`${f}.${field}`, a[field] as Fact<unknown>, b[field] as Fact<unknown>, both);
      }
    };
    connections('postgres', r.postgres, l.postgres, [
      ['host', true],
      ['port', true],
      ['database', true],
      ['user', true],
      ['iam', true],
      // a driver class only one side names is drift too
      ['driver', false],
    ]);
    connections('opensearch', r.opensearch, l.opensearch, [
      ['host', true],
      ['port', true],
      ['protocol', true],
      ['aws', true],
      ['username', true],
    ]);
  }
  return drifts;
}
