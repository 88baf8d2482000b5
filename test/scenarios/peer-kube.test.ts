// `irsa-doctor run` against the minimal Kubernetes API peer (test/peers/kube-api.ts), written apart
// from test/harness/kube-api*.ts: it catches launcher code that leans on our main emulator's behaviour.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../src/report/types.js';
import {
  AGENT_REPORT,
  KUBE_PEER,
  type KubePeer,
  type KubePeerOptions,
  startKubePeer,
} from '../peers/kube-api.js';
import { schemaErrors } from '../support/report-schema.js';

const CLI = fileURLToPath(new URL('../../dist/irsa-doctor.mjs', import.meta.url));
const { namespace: NS, serviceAccount: SA, roleArn: ROLE } = KUBE_PEER;

let dir: string;
const servers: KubePeer[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'irsa-doctor-alt-kube-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function launch(o: KubePeerOptions = {}) {
  const api = await startKubePeer(o);
  servers.push(api);
  const kubeconfig = api.writeKubeconfig(dir, `kubeconfig-${servers.length}-${Date.now()}.json`);
  const child = spawn(
    process.execPath,
    [CLI, 'run', '-n', NS, '-s', SA, '--kubeconfig', kubeconfig, '-o', 'json', '--timeout', '20'],
    { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const code = await new Promise<number | null>((r) => child.on('close', r));
  let report: Report;
  try {
    report = JSON.parse(stdout) as Report;
  } catch {
    throw new Error(`launcher printed no JSON (exit ${code})\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  }
  expect(schemaErrors(report)).toEqual([]);
  const launcher = report.checks.find((c) => c.id === 'launcher');
  const findings = launcher?.findings ?? [];
  const deletes = api.requests.filter((r) => r.method === 'DELETE' && r.path.includes('/jobs/'));
  return {
    code,
    stderr,
    report,
    api,
    deletes,
    codes: findings.map((f) => f.code),
    finding: (c: string): Finding | undefined => findings.find((f) => f.code === c),
  };
}

function expectMerged(r: Awaited<ReturnType<typeof launch>>) {
  expect(r.report.checks.map((c) => c.id)).toEqual(['launcher', 'alt-agent-check']);
  expect(r.report.context.roleArn).toBe(ROLE);
}

describe('irsa-doctor run against a minimal Kubernetes API', () => {
  it('no watch (plain list), both Job labels, Pending -> Running -> Succeeded by polling, noisy text log', async () => {
    const r = await launch();
    expect(r.code).toBe(0);
    expect(r.codes).toEqual([
      'LAUNCH-NAMESPACE',
      'LAUNCH-SA-OK',
      'LAUNCH-WEBHOOK-OK',
      'LAUNCH-JOB-CREATED',
      'LAUNCH-MUTATED',
      'LAUNCH-JOB-DELETED',
    ]);
    expectMerged(r);
    expect(r.api.requests.every((q) => q.authorized)).toBe(true);
    expect(r.deletes).toHaveLength(1);
    expect(r.deletes[0]?.query.get('propagationPolicy')).toBe('Background');
    expect(r.api.jobs.size).toBe(0);
  });

  it.each([405, 400] as const)('watch answered %i: polling alone finishes the run', async (watch) => {
    const r = await launch({ watch });
    expect(r.code).toBe(0);
    expect(r.codes).toContain('LAUNCH-JOB-DELETED');
    expectMerged(r);
  });

  it.each(['batch', 'legacy'] as const)('pod labelled only with the %s job-name label', async (labels) => {
    const r = await launch({ labels });
    expect(r.code).toBe(0);
    expectMerged(r);
    expect(r.deletes).toHaveLength(1);
  });

  it('labelSelector ignored: other pods of the namespace are not taken for the Job pod', async () => {
    const r = await launch({ labelSelector: false });
    expect(r.code).toBe(0);
    expectMerged(r);
    expect(r.report.context.pod).toMatch(/^irsa-doctor-zeebe-sa-.*-x7k2p$/);
  });

  it('the log comes back as application/json, or with no content type', async () => {
    for (const contentType of ['application/json', undefined]) {
      const r = await launch({
        log: { ...(contentType ? { contentType } : {}), body: JSON.stringify(AGENT_REPORT) },
      });
      expect(r.code).toBe(0);
      expectMerged(r);
    }
  });

  it('DELETE answered with an empty body and no content type still counts as deleted', async () => {
    const r = await launch({ deleteAnswer: { status: 200, body: '' } });
    expect(r.codes).toContain('LAUNCH-JOB-DELETED');
    expect(r.codes).not.toContain('LAUNCH-CLEANUP-FAILED');
  });

  it('no events endpoint (404) while the pod is slow to appear: the wait goes on', async () => {
    const r = await launch({ eventsEndpoint: false, podAfter: 10 });
    expect(r.code).toBe(0);
    expectMerged(r);
    expect(r.api.requests.some((q) => q.path.endsWith('/events'))).toBe(true);
  });

  it('agent exits non-zero: pod Failed, Job Failed/BackoffLimitExceeded, the report is still read', async () => {
    const r = await launch({
      pod: [
        { phase: 'Running', node: 'n1' },
        { phase: 'Failed', node: 'n1' },
      ],
      jobFailed: { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
    });
    expectMerged(r);
    expect(r.codes).toContain('LAUNCH-JOB-DELETED');
    expect(r.codes).not.toContain('LAUNCH-NO-REPORT');
  });

  it('403 on create jobs: LAUNCH-FORBIDDEN, nothing to delete', async () => {
    const r = await launch({ createJob: 403 });
    expect(r.code).toBe(1);
    expect(r.codes).toContain('LAUNCH-FORBIDDEN');
    expect(r.codes).not.toContain('LAUNCH-JOB-CREATED');
    expect(r.deletes).toHaveLength(0);
  });

  it('404 for the ServiceAccount: LAUNCH-SA-MISSING and no Job', async () => {
    const r = await launch({ serviceAccount: false });
    expect(r.code).toBe(1);
    expect(r.finding('LAUNCH-SA-MISSING')?.status).toBe('fail');
    expect(r.api.requests.some((q) => q.method === 'POST')).toBe(false);
  });

  it.each([
    [404, 'LAUNCH-WEBHOOK-MISSING', 'warn'],
    [403, 'LAUNCH-WEBHOOK-UNCHECKED', 'skip'],
  ] as const)('webhook configuration answered %i: %s, the run goes on', async (webhook, code, st) => {
    const r = await launch({ webhook });
    expect(r.finding(code)?.status).toBe(st);
    expectMerged(r);
    expect(r.deletes).toHaveLength(1);
  });

  it('ErrImagePull then ImagePullBackOff: LAUNCH-IMAGE-PULL, Job deleted', async () => {
    const r = await launch({
      pod: [
        {
          phase: 'Pending',
          node: 'n1',
          waiting: { reason: 'ErrImagePull', message: 'failed to pull image' },
        },
        {
          phase: 'Pending',
          node: 'n1',
          waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' },
        },
      ],
    });
    expect(r.code).toBe(1);
    expect(r.finding('LAUNCH-IMAGE-PULL')?.status).toBe('fail');
    expect(r.deletes).toHaveLength(1);
  });

  it('Job condition Failed/DeadlineExceeded: LAUNCH-DEADLINE, Job deleted', async () => {
    const r = await launch({
      pod: [{ phase: 'Running', node: 'n1' }],
      jobFailed: { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' },
    });
    expect(r.code).toBe(1);
    expect(r.finding('LAUNCH-DEADLINE')?.details).toMatchObject({ reason: 'DeadlineExceeded' });
    expect(r.deletes).toHaveLength(1);
  });

  it('events without fieldSelector or type: only the Job own FailedCreate counts', async () => {
    const r = await launch({
      pod: [],
      events: (job) => [
        {
          reason: 'FailedCreate',
          message: `Error creating: pods "${job}-aaaaa" is forbidden: error looking up service account ${NS}/${SA}: serviceaccount "${SA}" not found`,
          involvedObject: { kind: 'Job', name: job },
        },
        {
          reason: 'FailedCreate',
          message:
            'Error creating: pods "other-x" is forbidden: violates PodSecurity "restricted:latest": runAsNonRoot != true',
          involvedObject: { kind: 'Job', name: 'other' },
        },
      ],
    });
    expect(r.code).toBe(1);
    expect(r.codes).toContain('LAUNCH-SA-MISSING');
    expect(r.codes).not.toContain('LAUNCH-POD-SECURITY');
    expect(r.deletes).toHaveLength(1);
  });

  it("unschedulable pod: another pod's TriggeredScaleUp does not keep it waiting", async () => {
    const r = await launch({
      pod: [
        {
          phase: 'Pending',
          unschedulable: "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.",
        },
      ],
      events: (_job, pod) => [
        {
          reason: 'FailedScheduling',
          message: '0/3 nodes are available: 3 Insufficient cpu.',
          involvedObject: { kind: 'Pod', name: pod },
        },
        {
          reason: 'TriggeredScaleUp',
          message: 'pod triggered scale-up',
          involvedObject: { kind: 'Pod', name: 'zeebe-1' },
        },
      ],
    });
    expect(r.code).toBe(1);
    expect(r.finding('LAUNCH-UNSCHEDULABLE')?.details).toMatchObject({
      message: '0/3 nodes are available: 3 Insufficient cpu.',
    });
    expect(r.deletes).toHaveLength(1);
  });
});
