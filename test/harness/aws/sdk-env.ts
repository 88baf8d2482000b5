// Test-side helpers: run an official SDK v3 client configured by environment variables only (as the
// product will be), isolated from the machine's own AWS config, and read an SDK error's shape.
import { mkdtempSync } from 'node:fs';
import { type IncomingHttpHeaders, type OutgoingHttpHeaders, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import aws4 from 'aws4';
import { withEnv } from '../http-util.js';

const nowhere = join(mkdtempSync(join(tmpdir(), 'irsa-doctor-aws-env-')), 'absent');

/** The control plane's env, plus what keeps a developer's ~/.aws and real endpoints out of the test. */
export function isolated(env: Record<string, string>): Record<string, string | undefined> {
  return {
    AWS_PROFILE: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_ENDPOINT_URL: undefined,
    AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: undefined,
    AWS_CONFIG_FILE: nowhere,
    AWS_SHARED_CREDENTIALS_FILE: nowhere,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    ...env,
  };
}

/**
 * Builds the client and uses it inside the env, so endpoint, region and keys come from the env alone
 * (the SDK resolves them lazily, on the first send).
 */
export function withClient<C extends { destroy(): void }, T>(
  env: Record<string, string>,
  makeClient: () => C,
  use: (client: C) => Promise<T>,
): Promise<T> {
  return withEnv(isolated(env), async () => {
    const client = makeClient();
    try {
      return await use(client);
    } finally {
      client.destroy();
    }
  });
}

export interface SdkFailure {
  /** the SDK's error name (modeled exception class, else the wire code) */
  name: string;
  /** the wire code where the protocol carries one (Query's Code, JSON's __type / x-amzn-errortype) */
  code?: string;
  message: string;
  status?: number;
  raw: Record<string, unknown>;
}

export async function failure(p: Promise<unknown>): Promise<SdkFailure> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number }; Code?: string; __type?: string };
    return {
      name: err.name,
      code: err.Code ?? err.__type,
      message: err.message,
      status: err.$metadata?.httpStatusCode,
      raw: err as unknown as Record<string, unknown>,
    };
  }
  throw new Error('expected the call to fail');
}

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One request signed by aws4 (a signer independent of the SDK's), to see raw answers or to sign
 * with a wrong service name or region on purpose.
 */
export function signedRequest(
  endpoint: string,
  o: {
    path: string;
    service: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
    method?: string;
    body?: string;
    headers?: Record<string, string>;
  },
): Promise<RawAnswer> {
  const url = new URL(endpoint);
  const signed = aws4.sign(
    {
      host: url.host,
      path: o.path,
      method: o.method ?? 'GET',
      service: o.service,
      region: o.region,
      body: o.body,
      headers: o.headers,
    },
    { accessKeyId: o.credentials.accessKeyId, secretAccessKey: o.credentials.secretAccessKey },
  );
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: o.path,
        method: o.method ?? 'GET',
        headers: signed.headers as OutgoingHttpHeaders,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(o.body);
  });
}
