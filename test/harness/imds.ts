// EC2 instance metadata service as a pod sees it (REFERENCE section 7). 'hop-limit' reproduces the
// recommended EKS node setting: the IMDSv2 token PUT never gets an answer (the reply dies at the
// hop limit), so the SDK times out and falls back to IMDSv1, which still hands out the node role.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { listenLoopback } from './http-util.js';
import { type IamAccount, type IssuedCredentials, parseRoleArn } from './iam.js';

export type ImdsMode = 'v2' | 'v2-only' | 'v1-only' | 'hop-limit' | 'hop-limit-v1-disabled';

export interface ImdsRequestRecord {
  method: string;
  path: string;
  withToken: boolean;
  /** undefined while unanswered (hop-limit PUTs stay that way) */
  status?: number;
}

export interface ImdsEmulator {
  /** http://127.0.0.1:PORT — the value for AWS_EC2_METADATA_SERVICE_ENDPOINT */
  url: string;
  instanceId: string;
  requests: ImdsRequestRecord[];
  close(): Promise<void>;
}

export interface ImdsOptions {
  iam: IamAccount;
  nodeRoleArn: string;
  mode: ImdsMode;
  /** default 'eu-west-1' */
  region?: string;
  instanceId?: string;
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export async function startImds(o: ImdsOptions): Promise<ImdsEmulator> {
  const instanceId = o.instanceId ?? 'i-0abc1234def567890';
  const region = o.region ?? 'eu-west-1';
  const roleName = parseRoleArn(o.nodeRoleArn)?.name ?? o.nodeRoleArn.split('/').pop() ?? 'NodeInstanceRole';
  const tokens = new Map<string, number>();
  const requests: ImdsRequestRecord[] = [];
  let creds: IssuedCredentials | undefined;
  let lastUpdated = new Date();

  const nodeCredentials = () => {
    // IMDS hands out the same session until it nears expiry, then rotates.
    if (!creds || creds.expiration.getTime() - Date.now() < 15 * 60_000) {
      creds = o.iam.issueCredentials(o.nodeRoleArn, instanceId, 'imds', 6 * 3600);
      lastUpdated = new Date();
    }
    return creds;
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const tokenHeader = req.headers['x-aws-ec2-metadata-token'];
    const token = Array.isArray(tokenHeader) ? tokenHeader[0] : tokenHeader;
    const record: ImdsRequestRecord = { method: req.method ?? 'GET', path, withToken: token !== undefined };
    requests.push(record);
    const send = (status: number, body: string, type = 'text/plain') => {
      record.status = status;
      res.writeHead(status, { 'content-type': type, server: 'EC2ws' }).end(body);
    };

    if (path === '/latest/api/token') {
      if (req.method !== 'PUT') return send(405, '');
      if (o.mode === 'hop-limit' || o.mode === 'hop-limit-v1-disabled') return; // never answered
      if (o.mode === 'v1-only') return send(404, '');
      if (req.headers['x-forwarded-for']) return send(403, '');
      const ttl = Number(req.headers['x-aws-ec2-metadata-token-ttl-seconds']);
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > 21600) return send(400, '');
      const t = randomBytes(40).toString('base64');
      tokens.set(t, Date.now() + ttl * 1000);
      record.status = 200;
      res
        .writeHead(200, { 'content-type': 'text/plain', 'x-aws-ec2-metadata-token-ttl-seconds': String(ttl) })
        .end(t);
      return;
    }
    if (req.method !== 'GET') return send(405, '');
    if (token !== undefined) {
      const exp = tokens.get(token);
      if (exp === undefined || exp < Date.now()) return send(401, '');
    } else if (o.mode === 'v2-only' || o.mode === 'hop-limit-v1-disabled') {
      return send(401, '');
    }

    const md = '/latest/meta-data/';
    switch (path) {
      case `${md}instance-id`:
        return send(200, instanceId);
      case `${md}placement/region`:
        return send(200, region);
      case `${md}placement/availability-zone`:
        return send(200, `${region}a`);
      case `${md}iam/security-credentials`:
      case `${md}iam/security-credentials/`:
        return send(200, roleName);
      case `${md}iam/security-credentials/${roleName}`: {
        const c = nodeCredentials();
        const body = {
          Code: 'Success',
          LastUpdated: iso(lastUpdated),
          Type: 'AWS-HMAC',
          AccessKeyId: c.accessKeyId,
          SecretAccessKey: c.secretAccessKey,
          Token: c.sessionToken,
          Expiration: iso(c.expiration),
        };
        return send(200, JSON.stringify(body, null, 2));
      }
      case `${md}iam/info`: {
        const profileArn = o.nodeRoleArn.replace(':role/', ':instance-profile/');
        const info = {
          Code: 'Success',
          LastUpdated: iso(lastUpdated),
          InstanceProfileArn: profileArn,
          InstanceProfileId: 'AIPAEXAMPLE0123456789',
        };
        return send(200, JSON.stringify(info, null, 2));
      }
      default:
        return send(
          404,
          '<?xml version="1.0" encoding="iso-8859-1"?>\n<title>404 - Not Found</title>',
          'text/html',
        );
    }
  });
  const l = await listenLoopback(server);
  return { url: `http://127.0.0.1:${l.port}`, instanceId, requests, close: l.close };
}
