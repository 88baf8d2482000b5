// A Kubernetes API server on loopback that @kubernetes/client-node talks to through a generated
// kubeconfig: bearer-token auth, RBAC denials with apiserver's texts, real Status bodies, list and
// watch with label/field selectors, Job validation, and (via kubelet.ts) controllers that run the
// Job's pod as a local process.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { listenLoopback, readBody } from './http-util.js';
import type { ClusterSettings, JobWebhook, WebhookMode } from './kube-api-pods.js';
import { handleRequest, parseRequest, type RequestInfo } from './kube-api-routes.js';
import { ApiError, forbidden, noSuchPath, unauthorized } from './kube-api-status.js';
import { type KubeObject, Store } from './kube-api-store.js';
import type { TokenIssuer } from './kube-api-token.js';
import type { MeshKind } from './kube-mesh.js';
import { Kubelet, type KubeletOptions } from './kubelet.js';
import { createTestCa, type TestCa } from './tls-ca.js';

export interface KubeApiOptions {
  /**
   * Serve HTTPS with a cert from this CA (the kubeconfig carries it); without one the API mints its
   * own. Always HTTPS: kubectl, and so the launcher, sends no credentials to an http:// server.
   */
  ca?: TestCa;
  /** the authenticated user RBAC messages name; default "kubernetes-admin" */
  user?: string;
  /** default eu-west-1 (the region the webhook injects) */
  region?: string;
  webhook?: WebhookMode;
  /** a policy engine's validating webhook on Job creation */
  jobWebhook?: JobWebhook;
  /** a service mesh's sidecar injector (kube-mesh.ts): namespaces opt in with its label or annotation */
  mesh?: MeshKind;
  /** nodes the scheduler can place pods on; default one unlabelled, untainted node */
  nodes?: Array<{
    name: string;
    labels?: Record<string, string>;
    taints?: Array<{ key: string; value?: string; effect: string }>;
  }>;
  /** start the Job controller, scheduler and kubelet (without it Jobs never get pods) */
  kubelet?: KubeletOptions;
  /** serve TokenRequest (serviceaccounts/NAME/token) with tokens from this minter (the stack's issuer) */
  tokenIssuer?: TokenIssuer;
}

export interface RbacRule {
  /** get, list, watch, create, delete, or '*' */
  verb: string;
  /** e.g. jobs, pods, pods/log, serviceaccounts, mutatingwebhookconfigurations */
  resource: string;
  namespace?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  verb: string;
  resource?: string;
  namespace?: string;
  name?: string;
  status: number;
  /** the query string as sent (labelSelector, fieldSelector, ...), without the leading `?` */
  query: string;
  /** the Accept header (a metadata-only list asks for PartialObjectMetadataList) */
  accept?: string;
  /** DELETE only: the propagationPolicy asked for (query or body) */
  propagationPolicy?: string;
}

export interface KubeApi {
  url: string;
  store: Store;
  settings: ClusterSettings;
  requests: RecordedRequest[];
  token: string;
  /** make RBAC refuse a verb on a resource (optionally in one namespace) */
  forbid(rule: RbacRule): void;
  /** accept matching requests and never answer them (an overloaded or wedged API server); close() ends them */
  stall(rule: RbacRule): void;
  addNamespace(name: string, labels?: Record<string, string>, annotations?: Record<string, string>): void;
  addServiceAccount(namespace: string, name: string, annotations?: Record<string, string>): void;
  /** kubeconfig (JSON, which is YAML) pointing at this server; returns its path */
  writeKubeconfig(dir: string, opts?: { namespace?: string; context?: string }): string;
  /** resolves once `pred` holds, re-checked on every object change */
  waitFor(pred: () => boolean): Promise<void>;
  jobs(namespace?: string): KubeObject[];
  pods(namespace?: string): KubeObject[];
  close(): Promise<void>;
}

export async function startKubeApi(opts: KubeApiOptions = {}): Promise<KubeApi> {
  const store = new Store();
  const settings: ClusterSettings = {
    region: opts.region ?? 'eu-west-1',
    webhook: opts.webhook ?? 'on',
    ...(opts.jobWebhook ? { jobWebhook: opts.jobWebhook } : {}),
    ...(opts.mesh ? { mesh: opts.mesh } : {}),
  };
  const user = opts.user ?? 'kubernetes-admin';
  const token = randomBytes(24).toString('base64url');
  const denied: RbacRule[] = [];
  const stalled: RbacRule[] = [];
  const requests: RecordedRequest[] = [];
  const watches = new Set<ServerResponse>();

  for (const n of opts.nodes ?? [{ name: 'ip-10-0-1-23.eu-west-1.compute.internal' }]) {
    store.create('nodes', {
      metadata: { name: n.name, labels: { 'kubernetes.io/hostname': n.name, ...n.labels } },
      spec: { taints: n.taints ?? [] },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    });
  }
  // The webhook configuration exists unless the scenario says it is missing; re-evaluated on reads.
  const webhookConfig: KubeObject = {
    metadata: { name: 'pod-identity-webhook' },
    webhooks: [
      {
        name: 'iam-for-pods.amazonaws.com',
        failurePolicy: 'Ignore',
        clientConfig: { url: 'https://127.0.0.1:23443/mutate' },
        rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
        sideEffects: 'None',
        admissionReviewVersions: ['v1beta1'],
      },
    ],
  };
  store.create('mutatingwebhookconfigurations', webhookConfig);

  const kubelet = opts.kubelet ? new Kubelet(store, settings, opts.kubelet) : undefined;

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      verb: '',
      status: 0,
      query: url.search.replace(/^\?/, ''),
      ...(req.headers.accept ? { accept: req.headers.accept } : {}),
    };
    requests.push(record);
    const send = (status: number, body: unknown) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      if (req.headers.authorization !== `Bearer ${token}`) throw unauthorized();
      if (url.pathname === '/version') {
        return send(200, {
          major: '1',
          minor: '33',
          gitVersion: 'v1.33.1-eks-emulated',
          platform: 'linux/amd64',
        });
      }
      const info: RequestInfo | undefined = parseRequest(req.method ?? 'GET', url);
      if (!info) throw noSuchPath();
      Object.assign(record, {
        verb: info.verb,
        resource: info.resource,
        ...(info.namespace ? { namespace: info.namespace } : {}),
        ...(info.name ? { name: info.name } : {}),
      });
      const matches = (r: RbacRule) =>
        (r.verb === '*' || r.verb === info.verb) &&
        r.resource === info.resource &&
        (r.namespace === undefined || r.namespace === info.namespace);
      if (stalled.some(matches)) return;
      const rule = denied.find(matches);
      if (rule) {
        throw forbidden({
          user,
          verb: info.verb,
          resource: info.resource,
          ...(info.namespace ? { namespace: info.namespace } : {}),
          ...(info.name ? { name: info.name } : {}),
        });
      }
      const body =
        req.method === 'POST' || req.method === 'DELETE' ? (await readBody(req)).toString('utf8') : '';
      const result = await handleRequest({
        store,
        settings,
        kubelet,
        info,
        url,
        body,
        req,
        res,
        watches,
        ...(opts.tokenIssuer ? { tokenIssuer: opts.tokenIssuer } : {}),
      });
      if (result === 'streamed') {
        record.status = 200;
        return;
      }
      if (result.propagationPolicy) record.propagationPolicy = result.propagationPolicy;
      if (typeof result.body === 'string') {
        record.status = result.status;
        res.writeHead(result.status, { 'content-type': 'text/plain' });
        res.end(result.body);
        return;
      }
      send(result.status, result.body);
    } catch (e) {
      if (e instanceof ApiError) return send(e.status.code, e.status);
      send(500, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: String(e),
        reason: 'InternalError',
        code: 500,
      });
    }
  };
  const ownCa = opts.ca ? undefined : await createTestCa();
  const ca = (opts.ca ?? ownCa) as TestCa;
  const cert = await ca.issue(['127.0.0.1', 'localhost']);
  const server: Server = createHttpsServer({ cert: cert.certPem, key: cert.keyPem }, handler);
  const listening = await listenLoopback(server);
  const url = `https://127.0.0.1:${listening.port}`;

  const waiters = new Set<() => void>();
  store.subscribe(() => {
    for (const w of [...waiters]) w();
  });

  return {
    url,
    store,
    settings,
    requests,
    token,
    forbid: (rule) => denied.push(rule),
    stall: (rule) => stalled.push(rule),
    addNamespace(name, labels, annotations) {
      store.create('namespaces', {
        metadata: {
          name,
          labels: { 'kubernetes.io/metadata.name': name, ...labels },
          ...(annotations ? { annotations } : {}),
        },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      });
      store.create('serviceaccounts', { metadata: { name: 'default', namespace: name } });
    },
    addServiceAccount(namespace, name, annotations) {
      store.create('serviceaccounts', {
        metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
      });
    },
    writeKubeconfig(dir, o = {}) {
      const ctx = o.context ?? 'loopback-eks';
      const cluster: Record<string, unknown> = { server: url };
      cluster['certificate-authority-data'] = Buffer.from(ca.caCertPem).toString('base64');
      const file = join(dir, `kubeconfig-${ctx}.json`);
      const config = {
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: ctx, cluster }],
        users: [{ name: 'tester', user: { token } }],
        contexts: [
          {
            name: ctx,
            context: { cluster: ctx, user: 'tester', ...(o.namespace ? { namespace: o.namespace } : {}) },
          },
        ],
        'current-context': ctx,
      };
      writeFileSync(file, JSON.stringify(config, null, 2));
      return file;
    },
    waitFor(pred) {
      return new Promise<void>((resolve) => {
        const check = () => {
          if (!pred()) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    },
    jobs: (ns) => store.list('jobs', ns),
    pods: (ns) => store.list('pods', ns),
    async close() {
      for (const w of watches) w.end();
      await kubelet?.close();
      await listening.close();
      ownCa?.cleanup();
    },
  };
}
