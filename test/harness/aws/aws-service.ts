// One loopback AWS endpoint, checked the way the real front end checks a call, in its order: the SigV4
// signature (our own verifier) and its credential scope, the session's expiry, the operation and its
// input, then IAM authorization of the caller's identity policies (the harness's own evaluator), and
// only then the operation itself. Every refusal uses the protocol's real error shape and code.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { listenLoopback } from '../http-util.js';
import type { IamAccount, IssuedCredentials } from '../iam.js';
import { verifySigV4 } from '../sigv4-verify.js';
import {
  ec2ResponseXml,
  errorResponse,
  queryResponseXml,
  type WireProtocol,
  type XmlValue,
} from './aws-wire.js';
import { evaluatePolicies, type RequestContext } from './policy-evaluator.js';

export interface AwsCall {
  method: string;
  /** path without the query string, still percent-encoded */
  path: string;
  query: URLSearchParams;
  /** Query-protocol parameters: URL query and form body merged */
  params: Record<string, string>;
  body: Buffer;
  headers: IncomingHttpHeaders;
  caller: IssuedCredentials;
  /** the credential-scope region the caller signed for */
  region: string;
  requestId: string;
}

export interface Operation {
  /** GetRole, DescribeCluster, ... */
  name: string;
  /** iam:GetRole, eks:DescribeCluster, ... */
  action: string;
  /** the ARN(s) IAM authorizes; '*' for actions without resource types */
  resource: string | string[];
  /** how the denial names the resource ("role x" for IAM); null: the denial names none */
  describedAs?: string | null;
  /** the account that owns the resource, when it may differ from the caller's (cross-account denial) */
  resourceAccount?: string;
  /** result members (Query, EC2) or the JSON body (REST-JSON, JSON 1.1) */
  run(): unknown;
}

/** A refusal with the protocol's code and HTTP status; JSON fields go into the error body. */
export class AwsFault extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface AwsServiceSpec {
  iam: IamAccount;
  /** SigV4 signing name: iam, eks, rds, es, cloudtrail, ec2 */
  signingName: string;
  protocol: WireProtocol;
  /** XML namespace of Query/EC2 answers */
  xmlns?: string;
  /** credential-scope regions this endpoint accepts */
  regions: string[];
  /** item element of a Query list, by list name (RDS names them); default `member` */
  memberName?: (list: string) => string;
  /** HTTP status of an authorization denial; default 403 */
  deniedStatus?: number;
  tls?: { certPem: string; keyPem: string };
  route(call: AwsCall): Operation;
}

export interface AwsServiceRecord {
  operation: string;
  status: number;
  errorCode?: string;
  /** the caller's ARN when the signature checked out */
  caller?: string;
}

export interface AwsService {
  /** http(s)://127.0.0.1:PORT */
  url: string;
  requests: AwsServiceRecord[];
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
const BAD_SIGNATURE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

type AuthProblem = 'missing' | 'unknown-key' | 'bad-signature' | 'malformed' | 'expired-token';

/** Each protocol's code for each authentication failure, as the real endpoints answer. */
function authFault(protocol: WireProtocol, problem: AuthProblem, detail: string): AwsFault {
  const table: Record<WireProtocol, Record<AuthProblem, [number, string, string]>> = {
    query: {
      missing: [403, 'MissingAuthenticationToken', 'Request is missing Authentication Token'],
      'unknown-key': [403, 'InvalidClientTokenId', 'The security token included in the request is invalid.'],
      'bad-signature': [403, 'SignatureDoesNotMatch', detail],
      malformed: [400, 'IncompleteSignature', detail],
      'expired-token': [403, 'ExpiredToken', 'The security token included in the request is expired'],
    },
    ec2: {
      missing: [401, 'AuthFailure', 'AWS was not able to validate the provided access credentials'],
      'unknown-key': [401, 'AuthFailure', 'AWS was not able to validate the provided access credentials'],
      'bad-signature': [403, 'SignatureDoesNotMatch', detail],
      malformed: [400, 'IncompleteSignature', detail],
      'expired-token': [400, 'RequestExpired', 'Request has expired.'],
    },
    'rest-json': {
      missing: [403, 'MissingAuthenticationTokenException', 'Missing Authentication Token'],
      'unknown-key': [
        403,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      ],
      'bad-signature': [403, 'InvalidSignatureException', detail],
      malformed: [403, 'IncompleteSignatureException', detail],
      'expired-token': [
        403,
        'ExpiredTokenException',
        'The security token included in the request is expired',
      ],
    },
    json: {
      missing: [400, 'MissingAuthenticationTokenException', 'Missing Authentication Token'],
      'unknown-key': [
        400,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      ],
      'bad-signature': [400, 'InvalidSignatureException', detail],
      malformed: [400, 'IncompleteSignatureException', detail],
      'expired-token': [
        400,
        'ExpiredTokenException',
        'The security token included in the request is expired',
      ],
    },
  };
  const [status, code, message] = table[protocol][problem];
  return new AwsFault(status, code, message);
}

function authenticate(
  spec: AwsServiceSpec,
  req: IncomingMessage,
  body: Buffer,
): { caller: IssuedCredentials; region: string } {
  const v = verifySigV4(
    { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body },
    spec.iam,
  );
  const p = spec.protocol;
  if (v.region !== undefined && !spec.regions.includes(v.region))
    throw authFault(p, 'bad-signature', `Credential should be scoped to a valid region, not '${v.region}'. `);
  if (v.service !== undefined && v.service !== spec.signingName)
    throw authFault(
      p,
      'bad-signature',
      `Credential should be scoped to correct service: '${spec.signingName}'. `,
    );
  if (!v.ok) {
    switch (v.reason) {
      case 'missing':
        throw authFault(p, 'missing', v.message);
      case 'unknown-key':
      case 'token-mismatch':
        throw authFault(p, 'unknown-key', v.message);
      case 'malformed':
        throw authFault(p, 'malformed', v.message);
      case 'clock-skew':
      case 'expired':
        throw authFault(p, 'bad-signature', v.message);
      default:
        throw authFault(p, 'bad-signature', BAD_SIGNATURE);
    }
  }
  if (v.credentials.expiration.getTime() <= Date.now()) throw authFault(p, 'expired-token', '');
  return { caller: v.credentials, region: v.region };
}

/** The global condition keys a real request carries, so operator policies may use them. */
function requestContext(call: AwsCall, secure: boolean): RequestContext {
  const c = call.caller;
  const isUser = c.assumedRoleArn.includes(':user/');
  const ctx: RequestContext = {
    'aws:PrincipalArn': c.roleArn,
    'aws:PrincipalAccount': c.account,
    'aws:PrincipalType': isUser ? 'User' : 'AssumedRole',
    'aws:userid': c.assumedRoleId,
    'aws:RequestedRegion': call.region,
    'aws:SecureTransport': String(secure),
    'aws:SourceIp': '127.0.0.1',
    'aws:CurrentTime': new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(Date.now() / 1000)),
    'aws:ViaAWSService': 'false',
  };
  if (isUser) ctx['aws:username'] = c.assumedRoleArn.split('/').pop() ?? '';
  return ctx;
}

function authorize(spec: AwsServiceSpec, call: AwsCall, op: Operation): void {
  const who = call.caller.assumedRoleArn;
  const on = (resource: string) => {
    if (op.describedAs === null) return '';
    return ` on resource: ${op.describedAs ?? resource}`;
  };
  const deny = (resource: string, tail: string) => {
    const prefix = spec.protocol === 'ec2' ? 'You are not authorized to perform this operation. ' : '';
    const code =
      spec.protocol === 'query'
        ? 'AccessDenied'
        : spec.protocol === 'ec2'
          ? 'UnauthorizedOperation'
          : 'AccessDeniedException';
    return new AwsFault(
      spec.deniedStatus ?? 403,
      code,
      `${prefix}User: ${who} is not authorized to perform: ${op.action}${on(resource)} ${tail}`,
    );
  };
  const sources = spec.iam.policySources(call.caller.roleArn);
  const context = requestContext(call, spec.tls !== undefined);
  for (const resource of Array.isArray(op.resource) ? op.resource : [op.resource]) {
    const e = sources
      ? evaluatePolicies(sources.identity, { action: op.action, resource, context }, sources.boundary)
      : undefined;
    if (e?.decision === 'explicitDeny') {
      const inBoundary = e.matched.every((m) => sources?.boundary?.includes(m.policy));
      throw deny(
        resource,
        inBoundary
          ? 'with an explicit deny in a permissions boundary'
          : 'with an explicit deny in an identity-based policy',
      );
    }
    if (e?.decision !== 'allowed')
      throw deny(
        resource,
        e?.deniedBy === 'boundary'
          ? `because no permissions boundary allows the ${op.action} action`
          : `because no identity-based policy allows the ${op.action} action`,
      );
    // IAM has no resource policies: another account's resource is never reachable.
    if (op.resourceAccount !== undefined && op.resourceAccount !== call.caller.account)
      throw deny(resource, `because no resource-based policy allows the ${op.action} action`);
  }
}

function readCapped(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function serialize(spec: AwsServiceSpec, op: Operation, result: unknown, requestId: string) {
  switch (spec.protocol) {
    case 'query':
      return {
        headers: { 'content-type': 'text/xml' },
        body: queryResponseXml(
          op.name,
          spec.xmlns ?? '',
          (result ?? {}) as Record<string, XmlValue>,
          requestId,
          spec.memberName,
        ),
      };
    case 'ec2':
      return {
        headers: { 'content-type': 'text/xml;charset=UTF-8' },
        body: ec2ResponseXml(
          op.name,
          spec.xmlns ?? '',
          (result ?? {}) as Record<string, XmlValue>,
          requestId,
        ),
      };
    case 'rest-json':
      return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(result ?? {}) };
    case 'json':
      return {
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        body: JSON.stringify(result ?? {}),
      };
  }
}

export async function startAwsService(spec: AwsServiceSpec): Promise<AwsService> {
  const requests: AwsServiceRecord[] = [];
  const handler = async (req: IncomingMessage, res: import('node:http').ServerResponse) => {
    const requestId = randomUUID();
    const record: AwsServiceRecord = { operation: '', status: 200 };
    requests.push(record);
    const send = (status: number, headers: Record<string, string>, body: string) => {
      record.status = status;
      res.writeHead(status, { ...headers, 'x-amzn-requestid': requestId }).end(body);
    };
    try {
      const body = await readCapped(req);
      if (body === undefined) throw new AwsFault(413, 'RequestEntityTooLarge', 'Request body too large.');
      const { caller, region } = authenticate(spec, req, body);
      record.caller = caller.assumedRoleArn;
      const url = new URL(req.url ?? '/', 'http://emulator');
      const form =
        spec.protocol === 'query' || spec.protocol === 'ec2'
          ? new URLSearchParams(body.toString('utf8'))
          : [];
      const call: AwsCall = {
        method: req.method ?? 'GET',
        path: (req.url ?? '/').split('?')[0],
        query: url.searchParams,
        params: Object.fromEntries([...url.searchParams, ...form]),
        body,
        headers: req.headers,
        caller,
        region,
        requestId,
      };
      const op = spec.route(call);
      record.operation = op.name;
      authorize(spec, call, op);
      const out = serialize(spec, op, op.run(), requestId);
      send(200, out.headers, out.body);
    } catch (e) {
      const fault =
        e instanceof AwsFault
          ? e
          : new AwsFault(500, spec.protocol === 'ec2' ? 'InternalError' : 'InternalFailure', String(e));
      record.errorCode = fault.code;
      const out = errorResponse(
        spec.protocol,
        { status: fault.status, code: fault.code, message: fault.message, fields: fault.fields },
        requestId,
        spec.xmlns,
      );
      send(fault.status, out.headers, out.body);
    }
  };
  const server = spec.tls
    ? (createHttpsServer({ cert: spec.tls.certPem, key: spec.tls.keyPem }, handler) as unknown as Server)
    : createServer(handler);
  const l = await listenLoopback(server);
  return { url: `${spec.tls ? 'https' : 'http'}://127.0.0.1:${l.port}`, requests, close: l.close };
}
