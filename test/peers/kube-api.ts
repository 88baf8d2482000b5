// A deliberately minimal Kubernetes API server, written from the API conventions apart from
// test/harness/kube-api*.ts: no watch (a plain list or an error status), no fieldSelector, scripted pod
// states, one bearer token, over HTTPS (kubectl sends no token to http://). Launcher tests run against
// it to catch code that leans on our main emulator's particular behaviour; `answer` turns it into
// something that is not Kubernetes at all (a proxy's login page, garbage, a flood).

import { writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { buildReport } from '../../src/report/build-report.js';
import type { Report } from '../../src/report/types.js';
import { createTestCa } from '../harness/tls-ca.js';

/** What the peer serves: one namespace with one annotated ServiceAccount, reached with one token. */
export const KUBE_PEER = {
  namespace: 'camunda',
  serviceAccount: 'zeebe-sa',
  token: 'alt-kube-token',
  roleArn: 'arn:aws:iam::111122223333:role/zeebe',
} as const;
const { namespace: NS, serviceAccount: SA, token: TOKEN, roleArn: ROLE } = KUBE_PEER;

/** The agent's report as a pod would print it; the launcher must find it among other log lines. */
export const AGENT_REPORT: Report = buildReport(
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

export interface PodStep {
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  node?: string;
  waiting?: { reason: string; message?: string };
  unschedulable?: string;
}

type Ev = { reason: string; message: string; involvedObject: { kind: string; name: string } };

/** An answer the peer sends as is: `flood` streams that many bytes of `chunk`, never holding them all. */
export interface RawAnswer {
  status: number;
  contentType?: string;
  body: string | Buffer | { chunk: string; bytes: number };
}

/** A request as the peer saw it; n counts the requests before it. */
export interface PeerRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  n: number;
}

export interface KubePeerOptions {
  /**
   * Sees the answer the peer is about to send and may send another instead (a fuzzer truncating
   * or replacing it). Not called for the 401 of a missing token.
   */
  mangle?: (
    req: PeerRequest,
    answer: { status: number; contentType?: string; body: string },
  ) => RawAnswer | undefined;
  /** Answers any request it returns something for, instead of the API (after the token check). */
  answer?: (req: {
    method: string;
    path: string;
    query: URLSearchParams;
    n: number;
  }) => RawAnswer | undefined;
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

export interface KubePeer {
  url: string;
  /** The peer's CA (PEM); the kubeconfig carries it as certificate-authority-data. */
  caPem: string;
  /** Writes a kubeconfig for the peer (token user, current-context set) into dir; returns its path. */
  writeKubeconfig(dir: string, name?: string): string;
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

/** Starts the peer on a loopback port; `o` scripts what it answers. */
export async function startKubePeer(o: KubePeerOptions = {}): Promise<KubePeer> {
  const requests: KubePeer['requests'] = [];
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
    const reply = (code: number, body: unknown, type: string | undefined = 'application/json') => {
      res.writeHead(code, type ? { 'content-type': type } : {});
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (!authorized) return reply(401, status(401, 'Unauthorized', 'Unauthorized'));
    const seen = { method, path: url.pathname, query: url.searchParams, n: requests.length - 1 };
    const send = (code: number, body: unknown, type: string | undefined = 'application/json') => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const other = o.mangle?.(seen, { status: code, ...(type ? { contentType: type } : {}), body: text });
      if (other) sendRaw(res, other);
      else reply(code, text, type);
    };
    const raw = o.answer?.(seen);
    if (raw) return sendRaw(res, raw);
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
        apiVersion: 'admissionregistration.k8s.io/v1',
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

  const ca = await createTestCa({ commonName: 'kube-peer-ca' });
  const cert = await ca.issue(['127.0.0.1']);
  const server = createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const url = `https://127.0.0.1:${port}`;
  return {
    url,
    caPem: ca.caCertPem,
    writeKubeconfig(dir, name = `kube-peer-${port}.json`) {
      const file = join(dir, name);
      writeFileSync(
        file,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [
            {
              name: 'alt',
              cluster: {
                server: url,
                'certificate-authority-data': Buffer.from(ca.caCertPem).toString('base64'),
              },
            },
          ],
          users: [{ name: 'u', user: { token: TOKEN } }],
          contexts: [{ name: 'alt', context: { cluster: 'alt', user: 'u', namespace: 'default' } }],
          'current-context': 'alt',
        }),
      );
      return file;
    },
    requests,
    jobs,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => {
          ca.cleanup();
          r();
        });
      }),
  };
}

/** Sends a raw answer; a flood is written chunk by chunk as the client reads, and stops when it hangs up. */
function sendRaw(res: ServerResponse, a: RawAnswer): void {
  res.writeHead(a.status, a.contentType ? { 'content-type': a.contentType } : {});
  const body = a.body;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    res.end(body);
    return;
  }
  const chunk = Buffer.from(body.chunk);
  let left = body.bytes;
  const pump = () => {
    while (left > 0 && !res.destroyed) {
      const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= piece.length;
      if (!res.write(piece)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  res.on('close', () => {
    left = 0;
  });
  pump();
}
