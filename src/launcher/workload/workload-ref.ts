/** A workload as kubectl names it: `deploy/NAME`, `sts/NAME`, `job/NAME` (and the long spellings). */
export interface WorkloadRef {
  kind: 'Deployment' | 'StatefulSet' | 'Job';
  name: string;
}

const KINDS: Record<string, WorkloadRef['kind']> = {
  deploy: 'Deployment',
  deployment: 'Deployment',
  deployments: 'Deployment',
  'deployment.apps': 'Deployment',
  sts: 'StatefulSet',
  statefulset: 'StatefulSet',
  statefulsets: 'StatefulSet',
  'statefulset.apps': 'StatefulSet',
  job: 'Job',
  jobs: 'Job',
  'job.batch': 'Job',
};

const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** undefined when `raw` is not KIND/NAME with a kind above and a valid object name. */
export function parseWorkloadRef(raw: string): WorkloadRef | undefined {
  const slash = raw.indexOf('/');
  if (slash < 0) return undefined;
  const kind = KINDS[raw.slice(0, slash).toLowerCase()];
  const name = raw.slice(slash + 1);
  return kind && NAME.test(name) ? { kind, name } : undefined;
}

/** `deploy/NAME` as kubectl takes it back. */
export function workloadRefText(w: WorkloadRef): string {
  return `${w.kind === 'Deployment' ? 'deploy' : w.kind === 'StatefulSet' ? 'sts' : 'job'}/${w.name}`;
}
