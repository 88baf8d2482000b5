// Loopback Amazon OpenSearch Service: a managed domain ('es') or a Serverless collection ('aoss') that checks,
// in AWS's order, the SigV4 signature (our own verifier), the IAM decision (domain access policy + identity
// policy, or the aoss data access policy), then fine-grained access control, and answers with the real texts.
//
// Serverless is deliberately smaller. Observed on real collections: GET / answers 404 with an empty body
// (server: aoss-amazon), and denials carry {"status":403,"request-id":...,"error":{"reason":"403 Forbidden",
// "type":"Forbidden"}}. Assumed, for lack of a public sample: signature and scope failures get that same body,
// and the data access policy is reduced to a list of principals with every data permission.
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IamAccount, PolicyDocument } from './iam.js';
import { aossForbidden, clusterHealth, clusterInfo } from './opensearch-bodies.js';
import { IndexStore } from './opensearch-data.js';
import {
  accountBody,
  authinfoBody,
  type FgacConfig,
  permits,
  type RoleMapping,
  resolveUser,
  securityActionFor,
  securityException,
} from './opensearch-fgac.js';
import { esActionFor, evaluateDomainAccess } from './opensearch-policy.js';
import { checkSignature } from './opensearch-signature.js';

export type { FgacConfig, RoleMapping } from './opensearch-fgac.js';

export type OpenSearchReason =
  | 'ok'
  | 'anonymous-denied'
  | 'scope-mismatch'
  | 'unknown-key'
  | 'expired-token'
  | 'bad-signature'
  | 'no-resource-policy-allows'
  | 'no-identity-policy-allows'
  | 'explicit-deny-resource'
  | 'explicit-deny-identity'
  | 'fgac-unauthenticated'
  | 'fgac-no-permissions'
  | 'aoss-no-data-access'
  | 'aoss-no-identity-policy'
  | 'not-found';

export interface OpenSearchRequestRecord {
  method: string;
  path: string;
  /** the caller's session ARN, or 'anonymous' */
  principal: string;
  /** the IAM role ARN behind the session, when signed with known credentials */
  roleArn?: string;
  status: number;
  decision: 'allowed' | 'denied';
  reason: OpenSearchReason;
  /** FGAC transport action, when one was evaluated */
  action?: string;
}

export interface OpenSearchOptions {
  iam: IamAccount;
  region?: string;
  accountId?: string;
  domainName?: string;
  service?: 'es' | 'aoss';
  /** HTTPS when given, else HTTP */
  tls?: { certPem: string; keyPem: string };
  /** domain access policy (resource-based); absent = no policy, only identity policies can allow */
  accessPolicy?: PolicyDocument;
  fgac?: FgacConfig;
  anonymousAuthEnabled?: boolean;
  /** aoss: principals (role or session ARNs) the collection's data access policy grants */
  dataAccessPrincipals?: string[];
  /** aoss collection id (the host prefix); random when omitted */
  collectionId?: string;
}

export interface OpenSearchServer {
  url: string;
  host: string;
  port: number;
  /** arn:aws:es:REGION:ACCT:domain/NAME or arn:aws:aoss:REGION:ACCT:collection/ID */
  arn: string;
  requests: OpenSearchRequestRecord[];
  setAccessPolicy(p: PolicyDocument | undefined): void;
  setRoleMapping(role: string, mapping: RoleMapping | undefined): void;
  setDataAccessPrincipals(principals: string[]): void;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body?: object | string;
  headers?: Record<string, string>;
}

export async function startOpenSearch(opts: OpenSearchOptions): Promise<OpenSearchServer> {
  const service = opts.service ?? 'es';
  const region = opts.region ?? 'eu-west-1';
  const accountId = opts.accountId ?? opts.iam.accountId;
  const domainName = opts.domainName ?? 'camunda';
  const partition = opts.iam.partition;
  const collectionId = opts.collectionId ?? randomBytes(10).toString('hex');
  const arn =
    service === 'es'
      ? `arn:${partition}:es:${region}:${accountId}:domain/${domainName}`
      : `arn:${partition}:aoss:${region}:${accountId}:collection/${collectionId}`;
  let accessPolicy = opts.accessPolicy;
  const fgac: FgacConfig = opts.fgac
    ? { ...opts.fgac, roleMappings: { ...opts.fgac.roleMappings } }
    : { enabled: false, roleMappings: {} };
  let dataAccess = [...(opts.dataAccessPrincipals ?? [])];
  const store = new IndexStore();
  const requests: OpenSearchRequestRecord[] = [];
  const domainInfo = {
    accountId,
    domainName,
    nodeName: randomBytes(16).toString('hex'),
    clusterUuid: randomBytes(16).toString('base64url').slice(0, 22),
  };

  function handle(
    req: http.IncomingMessage,
    body: Buffer,
  ): { reply: Reply; record: Omit<OpenSearchRequestRecord, 'status' | 'method' | 'path'> } {
    const method = (req.method ?? 'GET').toUpperCase();
    const rawPath = req.url ?? '/';
    const url = new URL(rawPath, 'http://x');
    const gate = checkSignature(
      opts.iam,
      { method, rawPath, headers: req.headers, body },
      { region, service },
    );
    if (!gate.ok) {
      const reply = service === 'aoss' ? aossForbidden() : { status: 403, body: { message: gate.message } };
      return { reply, record: { principal: 'unknown', decision: 'denied', reason: gate.reason } };
    }
    const caller = gate.caller;
    const principal = caller?.assumedRoleArn ?? 'anonymous';
    const base = { principal, roleArn: caller?.roleArn };
    const denied = (reason: OpenSearchReason, reply: Reply, action?: string) => ({
      reply,
      record: { ...base, decision: 'denied' as const, reason, action },
    });

    if (service === 'aoss') {
      // Serverless: the identity needs aoss:APIAccessAll, and the data access policy must name the principal.
      if (!caller) return denied('anonymous-denied', aossForbidden());
      if (!opts.iam.isAllowed(caller.roleArn, 'aoss:APIAccessAll', arn))
        return denied('aoss-no-identity-policy', aossForbidden());
      if (!dataAccess.some((p) => p === caller.roleArn || p === caller.assumedRoleArn))
        return denied('aoss-no-data-access', aossForbidden());
      const data = store.handle(method, url.pathname, url.searchParams, body.toString('utf8'));
      // Serverless serves only the data APIs; GET / and the cluster APIs answer 404 with an empty body.
      const reply: Reply = data ?? { status: 404 };
      return { reply, record: { ...base, decision: 'allowed', reason: data ? 'ok' : 'not-found' } };
    }

    const action = esActionFor(method);
    const resource = `${arn}/${url.pathname.replace(/^\//, '')}`;
    const sourceIp = req.socket.remoteAddress ?? '127.0.0.1';
    const decision = evaluateDomainAccess(opts.iam, accessPolicy, { caller, action, resource, sourceIp });
    if (!decision.allowed) {
      const reason =
        caller || decision.reason !== 'no-resource-policy-allows' ? decision.reason : 'anonymous-denied';
      return denied(reason, { status: 403, body: { Message: decision.message } });
    }

    let user: ReturnType<typeof resolveUser> | undefined;
    let fgacAction: string | undefined;
    if (fgac.enabled) {
      // The security plugin's challenge to a request with no credentials it accepts.
      if (!caller && !opts.anonymousAuthEnabled)
        return denied('fgac-unauthenticated', {
          status: 401,
          body: 'Unauthorized',
          headers: { 'www-authenticate': 'Basic realm="Authorization Required"' },
        });
      user = resolveUser(caller?.roleArn, fgac);
      fgacAction = securityActionFor(method, url.pathname);
      if (fgacAction && !permits(user, fgacAction, fgac))
        return denied(
          'fgac-no-permissions',
          { status: 403, body: securityException(fgacAction, user) },
          fgacAction,
        );
    }
    const reply = routeEs(method, url, body.toString('utf8'), user, sourceIp);
    return { reply, record: { ...base, decision: 'allowed', reason: 'ok', action: fgacAction } };
  }

  function routeEs(
    method: string,
    url: URL,
    body: string,
    user: ReturnType<typeof resolveUser> | undefined,
    remote: string,
  ): Reply {
    const p = url.pathname.replace(/\/+$/, '') || '/';
    if (p === '/' && (method === 'GET' || method === 'HEAD'))
      return { status: 200, body: method === 'HEAD' ? undefined : clusterInfo(domainInfo) };
    if (p === '/_cluster/health' && method === 'GET')
      return { status: 200, body: clusterHealth(domainInfo, store.names().length) };
    const sec = /^\/_(?:plugins|opendistro)\/_security\/(api\/account|authinfo)$/.exec(p);
    if (sec && method === 'GET' && user)
      return { status: 200, body: sec[1] === 'authinfo' ? authinfoBody(user, remote) : accountBody(user) };
    const data = store.handle(method, url.pathname, url.searchParams, body);
    if (data) return data;
    // What OpenSearch answers for a path no plugin handles (also the security API on a domain without FGAC).
    return {
      status: 400,
      body: { error: `no handler found for uri [${url.pathname}] and method [${method}]` },
    };
  }

  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = (req.method ?? 'GET').toUpperCase();
      let out: ReturnType<typeof handle>;
      try {
        out = handle(req, Buffer.concat(chunks));
      } catch (err) {
        out = {
          reply: { status: 500, body: { error: String(err) } },
          record: { principal: 'unknown', decision: 'denied', reason: 'not-found' },
        };
      }
      const { reply } = out;
      requests.push({ method, path: req.url ?? '/', status: reply.status, ...out.record });
      const requestId = randomUUID();
      const headers: Record<string, string> = {
        ...(service === 'aoss'
          ? { server: 'aoss-amazon', 'x-request-id': requestId }
          : { 'x-amzn-requestid': requestId }),
        ...reply.headers,
      };
      let payload = '';
      if (typeof reply.body === 'string') {
        payload = reply.body;
        headers['content-type'] = 'text/plain; charset=UTF-8';
      } else if (reply.body !== undefined) {
        payload = JSON.stringify(reply.body);
        headers['content-type'] = 'application/json; charset=UTF-8';
      }
      headers['content-length'] = String(Buffer.byteLength(payload));
      res.writeHead(reply.status, headers);
      res.end(method === 'HEAD' ? undefined : payload);
    });
  };

  const server = opts.tls
    ? https.createServer({ cert: opts.tls.certPem, key: opts.tls.keyPem }, listener)
    : http.createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = '127.0.0.1';
  return {
    url: `${opts.tls ? 'https' : 'http'}://${host}:${port}`,
    host,
    port,
    arn,
    requests,
    setAccessPolicy(p) {
      accessPolicy = p;
    },
    setRoleMapping(role, mapping) {
      if (mapping) fgac.roleMappings[role] = mapping;
      else delete fgac.roleMappings[role];
    },
    setDataAccessPrincipals(principals) {
      dataAccess = [...principals];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
