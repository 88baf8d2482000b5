// `irsa-doctor run` against a deliberately minimal Kubernetes API, written apart from
// test/harness/kube-api*.ts: no watch, no fieldSelector, scripted pod states, one bearer token.
// It catches launcher code that leans on our main emulator's particular behaviour.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build-report.js';
import type { Finding, Report } from '../../src/report/types.js';
import { schemaErrors } from '../support/report-schema.js';

const CLI = fileURLToPath(new URL('../../dist/irsa-doctor.mjs', import.meta.url));
const NS = 'camunda';
const SA = 'zeebe-sa';
const TOKEN = 'alt-kube-token';
const ROLE = 'arn:aws:iam::111122223333:role/zeebe';

/** The agent's report as a pod would print it; the launcher must find it among other log lines. */
const AGENT_REPORT: Report = buildReport(
  new Date('2026-01-01T00:00:00Z'),
  42,
  { mechanism: 'irsa', roleArn: ROLE, namespace: NS, serviceAccount: SA, region: 'eu-west-1' },
  [
    {
      id: 'alt-agent-check',
      title: 'A check only the canned agent report has',
      status: 'pass',
      durationMs: 1,
      findings: [{ code: 'STS-OK', status: 'pass', message: 'assumed the role' }],
    },
  ],
);

interface PodStep {
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  node?: string;
  waiting?: { reason: string; message?: string };
  unschedulable?: string;
}

type Ev = { reason: string; message: string; involvedObject: { kind: string; name: string } };

interface AltOptions {
  /** How `?watch=true` is answered: a plain list (watch ignored), or an error status. */
  watch?: 'list' | 400 | 405;
  /** Which Job label the pod carries (real clusters >= 1.27 set both). */
  labels?: 'both' | 'legacy' | 'batch';
  /** false: labelSelector is ignored and every pod of the namespace is listed. */
  labelSelector?: boolean;
  webhook?: 'present' | 404 | 403;
  serviceAccount?: boolean;
  createJob?: 'ok' | 403;
  /** The Job controller is slow: the first this many pod lists find no pod. */
  podAfter?: number;
  /** false: the server has no events endpoint (404). */
  eventsEndpoint?: boolean;
  /** Pod states, one per pod list (the last one repeats); empty: the Job never gets a pod. */
  pod?: PodStep[];
  /** Job conditions once it exists. */
  jobFailed?: { reason: string; message: string };
  /** Events of the namespace (fieldSelector ignored), given the Job's and the pod's names. */
  events?: (job: string, pod: string) => Ev[];
  log?: { contentType?: string; body: string };
  /** How DELETE of the Job is answered (status, content type or none, body). */
  deleteAnswer?: { status: number; contentType?: string; body: string };
}

interface AltKube {
  url: string;
  requests: Array<{ method: string; path: string; query: URLSearchParams; authorized: boolean }>;
  jobs: Map<string, Record<string, unknown>>;
  close(): Promise<void>;
}

const SUCCESS: PodStep[] = [
  { phase: 'Pending' },
  { phase: 'Pending', node: 'ip-10-0-1-7.eu-west-1.compute.internal' },
  { phase: 'Running', node: 'ip-10-0-1-7.eu-west-1.compute.internal' },
  { phase: 'Succeeded', node: 'ip-10-0-1-7.eu-west-1.compute.internal' },
];
const LOG = `Debugger listening? no\nsome stderr noise {not json\n${JSON.stringify(AGENT_REPORT, null, 2)}\nbye\n`;

function status(code: number, reason: string, message: string) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

async function startAltKube(o: AltOptions = {}): Promise<AltKube> {
  const requests: AltKube['requests'] = [];
  const jobs = new Map<string, Record<string, unknown>>();
  let podReads = 0;
  const podName = (job: string) => `${job}-x7k2p`;

  const podOf = (job: Record<string, unknown>) => {
    const meta = job.metadata as { name: string };
    const steps = o.pod ?? SUCCESS;
    const step = steps[Math.min(Math.max(0, podReads - (o.podAfter ?? 0)), steps.length - 1)]!;
    const labels: Record<string, string> = { 'controller-uid': 'u-1' };
    if (o.labels !== 'batch') labels['job-name'] = meta.name;
    if (o.labels !== 'legacy') labels['batch.kubernetes.io/job-name'] = meta.name;
    const tmpl = (job.spec as { template: { spec: { containers: Array<Record<string, unknown>> } } }).template
      .spec;
    const containers = tmpl.containers.map((c) => ({
      ...c,
      env: [
        ...((c.env as unknown[]) ?? []),
        { name: 'AWS_ROLE_ARN', value: ROLE },
        {
          name: 'AWS_WEB_IDENTITY_TOKEN_FILE',
          value: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token',
        },
      ],
      volumeMounts: [
        ...((c.volumeMounts as unknown[]) ?? []),
        {
          name: 'aws-iam-token',
          mountPath: '/var/run/secrets/eks.amazonaws.com/serviceaccount',
          readOnly: true,
        },
      ],
    }));
    const name = tmpl.containers[0]?.name as string;
    const state =
      step.phase === 'Succeeded'
        ? { terminated: { exitCode: 0, reason: 'Completed' } }
        : step.phase === 'Running'
          ? { running: { startedAt: '2026-01-01T00:00:05Z' } }
          : { waiting: step.waiting ?? { reason: 'ContainerCreating' } };
    return {
      metadata: {
        name: podName(meta.name),
        namespace: NS,
        labels,
        creationTimestamp: '2026-01-01T00:00:01Z',
      },
      spec: {
        ...tmpl,
        containers,
        volumes: [
          {
            name: 'aws-iam-token',
            projected: {
              sources: [
                {
                  serviceAccountToken: {
                    audience: 'sts.amazonaws.com',
                    expirationSeconds: 86400,
                    path: 'token',
                  },
                },
              ],
            },
          },
        ],
        ...(step.node ? { nodeName: step.node } : {}),
      },
      status: {
        phase: step.phase,
        conditions: step.unschedulable
          ? [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: step.unschedulable }]
          : step.node
            ? [{ type: 'PodScheduled', status: 'True' }]
            : [],
        ...(step.phase === 'Pending' && !step.node && !step.waiting
          ? {}
          : { containerStatuses: [{ name, ready: false, restartCount: 0, image: 'x', imageID: '', state }] }),
      },
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    const authorized = req.headers.authorization === `Bearer ${TOKEN}`;
    requests.push({ method, path: url.pathname, query: url.searchParams, authorized });
    const send = (code: number, body: unknown, type: string | undefined = 'application/json') => {
      res.writeHead(code, type ? { 'content-type': type } : {});
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (!authorized) return send(401, status(401, 'Unauthorized', 'Unauthorized'));
    let body = '';
    for await (const chunk of req) body += chunk;
    const p = url.pathname;
    const list = (kind: string, items: unknown[]) => ({ kind, apiVersion: 'v1', metadata: {}, items });

    if (p === `/api/v1/namespaces/${NS}` && method === 'GET')
      return send(200, { kind: 'Namespace', apiVersion: 'v1', metadata: { name: NS } });
    const saPath = /^\/api\/v1\/namespaces\/([^/]+)\/serviceaccounts\/([^/]+)$/.exec(p);
    if (saPath) {
      if (o.serviceAccount === false || saPath[2] !== SA)
        return send(404, status(404, 'NotFound', `serviceaccounts "${saPath[2]}" not found`));
      return send(200, {
        kind: 'ServiceAccount',
        apiVersion: 'v1',
        metadata: { name: SA, namespace: NS, annotations: { 'eks.amazonaws.com/role-arn': ROLE } },
      });
    }
    if (p === '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/pod-identity-webhook') {
      const w = o.webhook ?? 'present';
      if (w === 404)
        return send(
          404,
          status(
            404,
            'NotFound',
            'mutatingwebhookconfigurations.admissionregistration.k8s.io "pod-identity-webhook" not found',
          ),
        );
      if (w === 403)
        return send(
          403,
          status(
            403,
            'Forbidden',
            'mutatingwebhookconfigurations.admissionregistration.k8s.io "pod-identity-webhook" is forbidden: User "dev" cannot get resource "mutatingwebhookconfigurations" in API group "admissionregistration.k8s.io" at the cluster scope',
          ),
        );
      return send(200, {
        kind: 'MutatingWebhookConfiguration',
        metadata: { name: 'pod-identity-webhook' },
        webhooks: [{ name: 'iam-for-pods.amazonaws.com' }],
      });
    }
    if (url.searchParams.get('watch') === 'true') {
      const w = o.watch ?? 'list';
      if (w !== 'list')
        return send(w, status(w, w === 405 ? 'MethodNotAllowed' : 'BadRequest', 'watch is not supported'));
      // Falls through: the watch parameter is ignored and a plain list comes back.
    }
    if (p === `/apis/batch/v1/namespaces/${NS}/jobs` && method === 'POST') {
      if (o.createJob === 403)
        return send(
          403,
          status(
            403,
            'Forbidden',
            `jobs.batch is forbidden: User "dev" cannot create resource "jobs" in API group "batch" in the namespace "${NS}"`,
          ),
        );
      const job = JSON.parse(body) as Record<string, unknown>;
      jobs.set((job.metadata as { name: string }).name, job);
      return send(201, { ...job, status: {} });
    }
    if (p === `/apis/batch/v1/namespaces/${NS}/jobs` && method === 'GET')
      return send(200, list('JobList', [...jobs.values()]));
    const jobPath = new RegExp(`^/apis/batch/v1/namespaces/${NS}/jobs/([^/]+)$`).exec(p);
    if (jobPath) {
      const job = jobs.get(jobPath[1]!);
      if (!job) return send(404, status(404, 'NotFound', `jobs.batch "${jobPath[1]}" not found`));
      if (method === 'DELETE') {
        jobs.delete(jobPath[1]!);
        const d = o.deleteAnswer;
        if (d) return send(d.status, d.body, d.contentType);
        return send(200, {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Success',
          details: { name: jobPath[1], group: 'batch', kind: 'jobs' },
        });
      }
      const conditions = o.jobFailed ? [{ type: 'Failed', status: 'True', ...o.jobFailed }] : [];
      return send(200, { ...job, status: { active: 1, conditions } });
    }
    if (p === `/api/v1/namespaces/${NS}/pods` && method === 'GET') {
      const pods = o.pod?.length === 0 || podReads < (o.podAfter ?? 0) ? [] : [...jobs.values()].map(podOf);
      podReads++;
      const sel = url.searchParams.get('labelSelector');
      const other = {
        metadata: {
          name: 'zeebe-0',
          namespace: NS,
          labels: { app: 'zeebe' },
          creationTimestamp: '2026-01-01T00:00:30Z',
        },
        spec: { containers: [{ name: 'zeebe', image: 'camunda/zeebe' }] },
        status: { phase: 'Running' },
      };
      const all = [other, ...pods];
      if (o.labelSelector === false || !sel) return send(200, list('PodList', all));
      const [k, v] = sel.split('=');
      return send(
        200,
        list(
          'PodList',
          all.filter((x) => (x.metadata.labels as Record<string, string>)[k!] === v),
        ),
      );
    }
    const logPath = new RegExp(`^/api/v1/namespaces/${NS}/pods/([^/]+)/log$`).exec(p);
    if (logPath) {
      const l = o.log ?? { contentType: 'text/plain', body: LOG };
      return send(200, l.body, l.contentType);
    }
    if (p === `/api/v1/namespaces/${NS}/events` && o.eventsEndpoint !== false) {
      const job = [...jobs.keys()][0] ?? 'none';
      return send(
        200,
        list(
          'EventList',
          (o.events?.(job, podName(job)) ?? []).map((e, i) => ({
            metadata: { name: `ev${i}`, namespace: NS },
            ...e,
          })),
        ),
      );
    }
    return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    jobs,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

let dir: string;
const servers: AltKube[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'irsa-doctor-alt-kube-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function launch(o: AltOptions = {}) {
  const api = await startAltKube(o);
  servers.push(api);
  const kubeconfig = join(dir, `kubeconfig-${servers.length}-${Date.now()}.json`);
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'alt', cluster: { server: api.url } }],
      users: [{ name: 'u', user: { token: TOKEN } }],
      contexts: [{ name: 'alt', context: { cluster: 'alt', user: 'u', namespace: 'default' } }],
      'current-context': 'alt',
    }),
  );
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
