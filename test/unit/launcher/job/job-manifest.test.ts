import { readFileSync } from 'node:fs';
import { loadYaml } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { IMAGE_REPOSITORY } from '../../../../src/launcher/job/image.js';
import {
  agentArgs,
  agentTimeoutSeconds,
  buildJob,
  JOB_LABELS,
  jobName,
  randomSuffix,
} from '../../../../src/launcher/job/job-manifest.js';
import { restrictedViolations } from '../../../harness/kube-api-admission.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const base = {
  namespace: 'camunda',
  serviceAccount: 'zeebe',
  image: 'ghcr.io/irsa-doctor/irsa-doctor:1.2.3',
  timeoutSeconds: 120,
  suffix: 'x2k9z',
  agentArgs: [] as string[],
};

describe('buildJob', () => {
  it('meets the restricted Pod Security profile', () => {
    const job = buildJob(base);
    expect(restrictedViolations(job.spec.template.spec)).toEqual([]);
    // The checker itself catches a root, escalating container.
    const bad = structuredClone(job.spec.template.spec);
    // biome-ignore lint/suspicious/noExplicitAny: poking the manifest.
    (bad.containers[0] as any).securityContext = { runAsUser: 0 };
    // biome-ignore lint/suspicious/noExplicitAny: poking the manifest.
    (bad as any).securityContext = {};
    const problems = restrictedViolations(bad).join('\n');
    for (const field of [
      'allowPrivilegeEscalation',
      'capabilities',
      'runAsNonRoot',
      'runAsUser',
      'seccompProfile',
    ])
      expect(problems).toContain(field);
  });

  it('is a one-shot, bounded, self-cleaning Job under the ServiceAccount', () => {
    const job = buildJob(base);
    expect(job).toMatchObject({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'irsa-doctor-zeebe-x2k9z', namespace: 'camunda', labels: JOB_LABELS },
      spec: { backoffLimit: 0, activeDeadlineSeconds: 120, ttlSecondsAfterFinished: 300 },
    });
    const pod = job.spec.template.spec;
    expect(pod).toMatchObject({
      serviceAccountName: 'zeebe',
      restartPolicy: 'Never',
      securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532 },
    });
    expect(job.spec.template.metadata.labels).toMatchObject(JOB_LABELS);
    const c = pod.containers[0]!;
    expect(c).toMatchObject({
      name: 'agent',
      image: base.image,
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      securityContext: {
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      },
    });
    expect(c.args).toEqual(['check', '-o', 'json', '--timeout', '108']);
    // The webhook skips containers that already set these; the Job must never set them.
    expect(JSON.stringify(job)).not.toMatch(
      /AWS_ROLE_ARN|AWS_WEB_IDENTITY_TOKEN_FILE|skip-pod-identity-webhook/,
    );
  });

  it('adds scheduling and pull settings only when asked', () => {
    const plain = buildJob(base).spec.template.spec;
    expect(plain).not.toHaveProperty('nodeSelector');
    expect(plain).not.toHaveProperty('tolerations');
    expect(plain).not.toHaveProperty('imagePullSecrets');
    const pod = buildJob({
      ...base,
      nodeSelector: { role: 'apps' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'apps', effect: 'NoSchedule' }],
      imagePullSecrets: ['ecr'],
    }).spec.template.spec;
    expect(pod.nodeSelector).toEqual({ role: 'apps' });
    expect(pod.tolerations).toEqual([
      { key: 'dedicated', operator: 'Equal', value: 'apps', effect: 'NoSchedule' },
    ]);
    expect(pod.imagePullSecrets).toEqual([{ name: 'ecr' }]);
  });

  it('pulls a pinned image IfNotPresent and a :latest or untagged one Always, unless told otherwise', () => {
    const policy = (image: string, imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never') =>
      buildJob({ ...base, image, ...(imagePullPolicy ? { imagePullPolicy } : {}) }).spec.template.spec
        .containers[0]!.imagePullPolicy;
    expect(policy('ghcr.io/irsa-doctor/irsa-doctor:1.2.3')).toBe('IfNotPresent');
    expect(policy('ghcr.io/irsa-doctor/irsa-doctor:latest')).toBe('Always');
    expect(policy('ghcr.io/irsa-doctor/irsa-doctor')).toBe('Always');
    expect(policy('ghcr.io/irsa-doctor/irsa-doctor:latest', 'Never')).toBe('Never');
  });

  it('--pod-label goes on the Job and its pod, --pod-annotation on the pod, --priority-class in its spec', () => {
    const job = buildJob({
      ...base,
      podLabels: { 'cost-center': 'platform', [Object.keys(JOB_LABELS)[0]!]: 'not-this' },
      podAnnotations: { 'sidecar.istio.io/inject': 'false' },
      priorityClassName: 'low',
    });
    expect(job.metadata.labels).toMatchObject({ 'cost-center': 'platform', ...JOB_LABELS });
    expect(job.spec.template.metadata.labels).toMatchObject({ 'cost-center': 'platform', ...JOB_LABELS });
    expect(job.spec.template.metadata.annotations).toEqual({ 'sidecar.istio.io/inject': 'false' });
    expect(job.metadata.annotations).not.toHaveProperty('sidecar.istio.io/inject');
    expect(job.spec.template.spec.priorityClassName).toBe('low');
    const plain = buildJob(base);
    expect(plain.spec.template.metadata).not.toHaveProperty('annotations');
    expect(plain.spec.template.spec).not.toHaveProperty('priorityClassName');
  });

  it("a CA bundle is mounted read-only from its ConfigMap key and named by the agent's --postgres-ca", () => {
    const own = buildJob({ ...base, agentArgs: ['--postgres', 'db'], postgresCa: { key: 'ca.crt' } });
    const pod = own.spec.template.spec;
    expect(pod.volumes).toContainEqual({
      name: 'postgres-ca',
      configMap: { name: own.metadata.name, items: [{ key: 'ca.crt', path: 'ca.crt' }] },
    });
    expect(pod.containers[0]!.volumeMounts).toContainEqual({
      name: 'postgres-ca',
      mountPath: '/etc/irsa-doctor/postgres-ca',
      readOnly: true,
    });
    expect(pod.containers[0]!.args).toEqual([
      'check',
      '-o',
      'json',
      '--timeout',
      '108',
      '--postgres-ca',
      '/etc/irsa-doctor/postgres-ca/ca.crt',
      '--postgres',
      'db',
    ]);
    const existing = buildJob({ ...base, postgresCa: { configMap: 'rds-ca', key: 'global-bundle.pem' } });
    expect(existing.spec.template.spec.volumes).toContainEqual({
      name: 'postgres-ca',
      configMap: { name: 'rds-ca', items: [{ key: 'global-bundle.pem', path: 'ca.crt' }] },
    });
    expect(restrictedViolations(existing.spec.template.spec)).toEqual([]);
  });
});

describe('jobName', () => {
  it('is a DNS-1123 label of at most 63 characters for any ServiceAccount name', () => {
    for (const sa of [
      'zeebe',
      'a',
      'my.dotted.sa',
      `${'x'.repeat(200)}`,
      'trailing-',
      `${'a-'.repeat(40)}b`,
    ]) {
      const n = jobName(sa, 'bcdfg');
      expect(n.length).toBeLessThanOrEqual(63);
      expect(n).toMatch(DNS1123_LABEL);
      expect(n.startsWith('irsa-doctor-')).toBe(true);
      expect(n.endsWith('-bcdfg')).toBe(true);
    }
    expect(jobName('my.dotted.sa', 'bcdfg')).toBe('irsa-doctor-my-dotted-sa-bcdfg');
  });

  it('random suffixes use the Kubernetes name alphabet', () => {
    const s = randomSuffix(() => Uint8Array.from([0, 1, 26, 27, 255]));
    expect(s).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});

describe('agent args and timeout', () => {
  it('leaves the agent a margin under the Job deadline', () => {
    expect(agentTimeoutSeconds(120)).toBe(108);
    expect(agentTimeoutSeconds(600)).toBe(585);
    expect(agentTimeoutSeconds(10)).toBe(8);
    expect(agentTimeoutSeconds(1)).toBe(1);
    for (let t = 3; t < 1000; t += 7) expect(agentTimeoutSeconds(t)).toBeLessThan(t);
  });

  it("passes the user's agent flags after its own, and respects the user's --timeout", () => {
    expect(agentArgs({ timeoutSeconds: 60, agentArgs: ['--postgres', 'db:5432'] })).toEqual([
      'check',
      '-o',
      'json',
      '--timeout',
      '54',
      '--postgres',
      'db:5432',
    ]);
    expect(agentArgs({ timeoutSeconds: 60, agentArgs: ['--timeout=30'] })).toEqual([
      'check',
      '-o',
      'json',
      '--timeout=30',
    ]);
  });
});

describe('k8s/job-example.yaml', () => {
  it('is the launcher Job with a placeholder ServiceAccount', () => {
    const root = new URL('../../../../', import.meta.url);
    const yaml = readFileSync(new URL('k8s/job-example.yaml', root), 'utf8');
    // biome-ignore lint/suspicious/noExplicitAny: plain manifest JSON.
    const example: any = JSON.parse(JSON.stringify(loadYaml(yaml)));
    const version = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')).version;
    const built = buildJob({ ...base, serviceAccount: 'my-app-sa', image: `${IMAGE_REPOSITORY}:${version}` });
    expect(restrictedViolations(example.spec.template.spec)).toEqual([]);
    expect(example.spec).toMatchObject({
      backoffLimit: built.spec.backoffLimit,
      activeDeadlineSeconds: built.spec.activeDeadlineSeconds,
      ttlSecondsAfterFinished: built.spec.ttlSecondsAfterFinished,
    });
    const [ex, bt] = [example.spec.template.spec, built.spec.template.spec];
    expect(ex.securityContext).toEqual(bt.securityContext);
    expect(ex.serviceAccountName).toBe('my-app-sa');
    expect(ex.automountServiceAccountToken).toBe(bt.automountServiceAccountToken);
    const { args, ...container } = ex.containers[0];
    const { args: builtArgs, ...builtContainer } = bt.containers[0]!;
    expect(container).toEqual(builtContainer);
    expect(args).toEqual(builtArgs);
    expect(ex.volumes).toEqual(bt.volumes);
  });
});
