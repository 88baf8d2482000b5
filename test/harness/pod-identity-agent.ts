// The EKS Pod Identity agent (REFERENCE section 2): the SDK sends the projected token raw in
// Authorization and gets container-credentials JSON back. 'hang' models a network policy or
// missing NO_PROXY entry: the connection opens but nothing ever answers.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { listenLoopback } from './http-util.js';
import type { IamAccount } from './iam.js';

export type PodIdentityMode = 'ok' | 'bad-request' | 'access-denied' | 'hang';

export interface PodIdentityAgent {
  /** http://127.0.0.1:PORT/v1/credentials — the value for AWS_CONTAINER_CREDENTIALS_FULL_URI */
  url: string;
  requests: Array<{ method: string; path: string; authorization?: string; status?: number }>;
  setMode(mode: PodIdentityMode): void;
  close(): Promise<void>;
}

export interface PodIdentityOptions {
  iam: IamAccount;
  roleArn: string;
  /** when set, any other token is refused with 403 as EKS Auth would */
  expectedToken?: string;
  mode: PodIdentityMode;
  /** used in the session name, as EKS does: eks-CLUSTER-POD-... */
  clusterName?: string;
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const looksLikeJwt = (t: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(t);

export async function startPodIdentityAgent(o: PodIdentityOptions): Promise<PodIdentityAgent> {
  let mode = o.mode;
  const requests: PodIdentityAgent['requests'] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const auth = req.headers.authorization;
    const record: PodIdentityAgent['requests'][number] = {
      method: req.method ?? 'GET',
      path,
      authorization: auth,
    };
    requests.push(record);
    const send = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      record.status = status;
      res.writeHead(status, { 'content-type': type }).end(body);
    };
    if (mode === 'hang') return;
    if (req.method !== 'GET' || path !== '/v1/credentials') return send(404, '404 page not found\n');
    const token = auth?.trim() ?? '';
    if (mode === 'bad-request' || !token || !looksLikeJwt(token))
      return send(400, 'Bad Request: Service account token cannot be empty or malformed\n');
    if (mode === 'access-denied' || (o.expectedToken !== undefined && token !== o.expectedToken))
      return send(403, 'Access Denied\n');
    const session = `eks-${o.clusterName ?? 'irsa-doctor'}-pod-${randomBytes(4).toString('hex')}`;
    const c = o.iam.issueCredentials(o.roleArn, session, 'pod-identity', 6 * 3600);
    send(
      200,
      JSON.stringify({
        AccessKeyId: c.accessKeyId,
        SecretAccessKey: c.secretAccessKey,
        Token: c.sessionToken,
        AccountId: c.account,
        Expiration: iso(c.expiration),
      }),
      'application/json',
    );
  });
  const l = await listenLoopback(server);
  return {
    url: `http://127.0.0.1:${l.port}/v1/credentials`,
    requests,
    setMode(m) {
      mode = m;
    },
    close: l.close,
  };
}
