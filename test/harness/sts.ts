// Regional STS on loopback: AssumeRoleWithWebIdentity validated in the order real STS applies its
// checks (REFERENCE section 3), and SigV4-verified GetCallerIdentity.
import { createPublicKey, randomUUID, verify as verifySignature } from 'node:crypto';
import { createServer } from 'node:http';
import { listenLoopback, readBody, tlsGet } from './http-util.js';
import { evaluateTrustPolicy, type IamAccount, type IssuedCredentials, parseRoleArn } from './iam.js';
import { verifySigV4 } from './sigv4-verify.js';
import { assumeRoleWithWebIdentityXml, errorXml, getCallerIdentityXml, type StsError } from './sts-xml.js';

export interface StsRequestRecord {
  action: string;
  params: Record<string, string>;
  status: number;
  errorCode?: string;
  /** present when the request carried SigV4 (scope region) */
  signedRegion?: string;
}

/** One AssumeRoleWithWebIdentity as CloudTrail would log it (the token itself is never kept). */
export interface WebIdentityCall {
  time: Date;
  region: string;
  requestId: string;
  sourceIp: string;
  userAgent?: string;
  roleArn: string;
  roleSessionName: string;
  durationSeconds?: number;
  /** claims of the presented token, when it parsed */
  claims?: { iss?: string; sub?: string; aud: string[] };
  /** the provider ARN, when the role's account has one for the token's issuer */
  providerArn?: string;
  outcome:
    | { ok: true; credentials: IssuedCredentials; subject: string; audience: string }
    | { ok: false; code: string; message: string };
}

export interface StsEmulator {
  /** http://127.0.0.1:PORT */
  url: string;
  region: string;
  requests: StsRequestRecord[];
  /** observe every AssumeRoleWithWebIdentity (success or refusal); returns the unsubscribe function */
  onWebIdentity(listener: (call: WebIdentityCall) => void): () => void;
  close(): Promise<void>;
}

export interface StsOptions {
  iam: IamAccount;
  /** default 'eu-west-1' */
  region?: string;
  disabled?: boolean;
  /** the CA STS trusts when it fetches the issuer's discovery document and JWKS */
  caCertPem: string;
  /** per request to the issuer; default 2000 */
  idpTimeoutMs?: number;
}

const IDP_UNREACHABLE =
  "Couldn't retrieve verification key from your identity provider, please reference AssumeRoleWithWebIdentity documentation for requirements";

class Refusal extends Error {
  constructor(readonly err: StsError) {
    super(err.message);
  }
}
const refuse = (status: number, code: string, message: string): never => {
  throw new Refusal({ status, code, message });
};
const invalid = (field: string, value: string, constraint: string): never =>
  refuse(
    400,
    'ValidationError',
    `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${constraint}`,
  );

function decodeSegment(seg: string | undefined): Record<string, unknown> {
  const v = JSON.parse(Buffer.from(seg ?? '', 'base64url').toString('utf8'));
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
  return v as Record<string, unknown>;
}

async function fetchIdpJson(url: string, caPem: string, timeoutMs: number) {
  let res: Awaited<ReturnType<typeof tlsGet>>;
  try {
    res = await tlsGet(url, caPem, timeoutMs);
  } catch {
    return refuse(400, 'IDPCommunicationError', IDP_UNREACHABLE);
  }
  if (res.status !== 200) return refuse(400, 'IDPCommunicationError', IDP_UNREACHABLE);
  try {
    return { json: JSON.parse(res.body) as Record<string, unknown>, thumbprint: res.topThumbprint };
  } catch {
    return refuse(400, 'IDPCommunicationError', IDP_UNREACHABLE);
  }
}

async function assumeRoleWithWebIdentity(p: Record<string, string>, o: StsOptions, now: Date) {
  const { iam } = o;
  const roleArn = p.RoleArn ?? '';
  const session = p.RoleSessionName ?? '';
  const token = p.WebIdentityToken ?? '';
  if (!p.RoleArn) invalid('roleArn', 'null', 'Member must not be null');
  if (!p.RoleSessionName) invalid('roleSessionName', 'null', 'Member must not be null');
  if (!p.WebIdentityToken) invalid('webIdentityToken', 'null', 'Member must not be null');
  if (roleArn.length < 20 || roleArn.length > 2048 || !parseRoleArn(roleArn))
    refuse(400, 'ValidationError', 'Request ARN is invalid');
  if (session.length < 2 || session.length > 64)
    invalid('roleSessionName', session, 'Member must have length between 2 and 64');
  if (!/^[\w+=,.@-]*$/.test(session))
    invalid('roleSessionName', session, 'Member must satisfy regular expression pattern: [\\w+=,.@-]*');
  if (token.length < 4 || token.length > 20000)
    invalid('webIdentityToken', '[redacted]', 'Member must have length between 4 and 20000');
  const duration = p.DurationSeconds === undefined ? 3600 : Number(p.DurationSeconds);
  if (!Number.isInteger(duration) || duration < 900)
    invalid(
      'durationSeconds',
      String(p.DurationSeconds),
      'Member must have value greater than or equal to 900',
    );
  if (duration > 43200)
    invalid(
      'durationSeconds',
      String(p.DurationSeconds),
      'Member must have value less than or equal to 43200',
    );

  const parts = token.split('.');
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    if (parts.length !== 3) throw new Error('segments');
    header = decodeSegment(parts[0]);
    claims = decodeSegment(parts[1]);
  } catch {
    return refuse(
      400,
      'InvalidIdentityToken',
      'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)',
    );
  }
  const iss = String(claims.iss ?? '');
  const issuerHost = iss.replace(/^https:\/\//, '');
  // The provider must live in the role's account (REFERENCE section 14).
  const roleAccount = parseRoleArn(roleArn)?.account ?? iam.accountId;
  const provider = iss.startsWith('https://') ? iam.findOidcProvider(issuerHost, roleAccount) : undefined;
  if (!provider)
    return refuse(400, 'InvalidIdentityToken', `No OpenIDConnect provider found in your account for ${iss}`);
  const auds = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).filter(
    (a): a is string => typeof a === 'string',
  );
  const audience = auds.find((a) => provider.clientIds.includes(a));
  if (!audience) return refuse(400, 'InvalidIdentityToken', 'Incorrect token audience');

  const timeout = o.idpTimeoutMs ?? 2000;
  const discovery = await fetchIdpJson(`${iss}/.well-known/openid-configuration`, o.caCertPem, timeout);
  const jwksUri = typeof discovery.json.jwks_uri === 'string' ? discovery.json.jwks_uri : '';
  if (!jwksUri.startsWith('https://')) refuse(400, 'IDPCommunicationError', IDP_UNREACHABLE);
  const jwks = await fetchIdpJson(jwksUri, o.caCertPem, timeout);
  if (!provider.thumbprints.includes(discovery.thumbprint))
    refuse(
      400,
      'InvalidIdentityToken',
      "OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint",
    );

  const keys = Array.isArray(jwks.json.keys) ? (jwks.json.keys as Array<Record<string, unknown>>) : [];
  const jwk = keys.find((k) => k.kid === header.kid && (k.use === undefined || k.use === 'sig'));
  if (header.alg !== 'RS256' || !jwk) return refuse(400, 'InvalidIdentityToken', IDP_UNREACHABLE);
  const signatureOk = (() => {
    try {
      const key = createPublicKey({ key: jwk as never, format: 'jwk' });
      return verifySignature(
        'sha256',
        Buffer.from(`${parts[0]}.${parts[1]}`),
        key,
        Buffer.from(parts[2], 'base64url'),
      );
    } catch {
      return false;
    }
  })();
  if (!signatureOk)
    refuse(400, 'InvalidIdentityToken', 'The web identity token signature could not be verified.');

  const nowSec = Math.floor(now.getTime() / 1000);
  const exp = Number(claims.exp);
  if (!Number.isFinite(exp) || nowSec >= exp)
    refuse(
      400,
      'ExpiredTokenException',
      `Token expired: current date/time ${nowSec} must be before the expiration date/time ${exp}`,
    );
  if (typeof claims.nbf === 'number' && claims.nbf > nowSec + 60)
    refuse(
      400,
      'InvalidIdentityToken',
      `Token is not yet valid: current date/time ${nowSec} must be after the not-before date/time ${claims.nbf}`,
    );

  const role = iam.getRole(roleArn);
  const subject = String(claims.sub ?? '');
  const admitted =
    role &&
    evaluateTrustPolicy(role.trustPolicy, {
      action: 'sts:AssumeRoleWithWebIdentity',
      federatedPrincipal: iam.oidcProviderArn(issuerHost, roleAccount),
      context: {
        [`${issuerHost}:sub`]: subject,
        [`${issuerHost}:aud`]: audience,
        'sts:RoleSessionName': session,
      },
    });
  if (!role || !admitted)
    return refuse(403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
  if (duration > (role.maxSessionDuration ?? 3600))
    refuse(
      400,
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
  const creds = iam.issueCredentials(roleArn, session, 'web-identity', duration);
  return { creds, subject, audience, provider: iam.oidcProviderArn(issuerHost, roleAccount) };
}

/** Best-effort claims for the trail; a token that does not parse leaves them out. */
function peekClaims(token: string | undefined): WebIdentityCall['claims'] {
  try {
    const c = decodeSegment(token?.split('.')[1]);
    const aud = (Array.isArray(c.aud) ? c.aud : [c.aud]).filter((a): a is string => typeof a === 'string');
    return {
      iss: typeof c.iss === 'string' ? c.iss : undefined,
      sub: typeof c.sub === 'string' ? c.sub : undefined,
      aud,
    };
  } catch {
    return undefined;
  }
}

export async function startSts(o: StsOptions): Promise<StsEmulator> {
  const region = o.region ?? 'eu-west-1';
  const requests: StsRequestRecord[] = [];
  const listeners = new Set<(call: WebIdentityCall) => void>();
  const emitWebIdentity = (
    req: import('node:http').IncomingMessage,
    p: Record<string, string>,
    requestId: string,
    outcome: WebIdentityCall['outcome'],
  ) => {
    if (listeners.size === 0) return;
    const claims = peekClaims(p.WebIdentityToken);
    const account = parseRoleArn(p.RoleArn ?? '')?.account ?? o.iam.accountId;
    const host = claims?.iss?.replace(/^https:\/\//, '');
    const call: WebIdentityCall = {
      time: new Date(),
      region,
      requestId,
      sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      userAgent: req.headers['user-agent'],
      roleArn: p.RoleArn ?? '',
      roleSessionName: p.RoleSessionName ?? '',
      durationSeconds: p.DurationSeconds === undefined ? undefined : Number(p.DurationSeconds),
      claims,
      providerArn:
        host && o.iam.findOidcProvider(host, account) ? o.iam.oidcProviderArn(host, account) : undefined,
      outcome,
    };
    for (const l of listeners) l(call);
  };
  const server = createServer(async (req, res) => {
    const requestId = randomUUID();
    const body = await readBody(req);
    const query = (req.url ?? '/').split('?')[1] ?? '';
    const params = Object.fromEntries([
      ...new URLSearchParams(query),
      ...new URLSearchParams(body.toString('utf8')),
    ]);
    const record: StsRequestRecord = { action: params.Action ?? '', params, status: 200 };
    requests.push(record);
    const answer = (status: number, xml: string) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }).end(xml);
    };
    try {
      if (o.disabled)
        refuse(
          403,
          'RegionDisabledException',
          `STS is not activated in this region for account:${o.iam.accountId}. Your account administrator can activate STS in this region using the IAM Console.`,
        );
      if (params.Action === 'AssumeRoleWithWebIdentity') {
        const r = await assumeRoleWithWebIdentity(params, o, new Date()).catch((e: unknown) => {
          if (e instanceof Refusal)
            emitWebIdentity(req, params, requestId, { ok: false, code: e.err.code, message: e.err.message });
          throw e;
        });
        emitWebIdentity(req, params, requestId, {
          ok: true,
          credentials: r.creds,
          subject: r.subject,
          audience: r.audience,
        });
        answer(200, assumeRoleWithWebIdentityXml(r.creds, r, requestId));
      } else if (params.Action === 'GetCallerIdentity') {
        const creds = callerOf(req, body, o.iam, region, record);
        answer(200, getCallerIdentityXml(creds, requestId));
      } else {
        refuse(
          400,
          'InvalidAction',
          `Could not find operation ${params.Action ?? ''} for version ${params.Version ?? 'NO_VERSION_SPECIFIED'}`,
        );
      }
    } catch (e) {
      const err: StsError =
        e instanceof Refusal
          ? e.err
          : { status: 500, code: 'InternalFailure', message: String(e), type: 'Receiver' };
      record.errorCode = err.code;
      answer(err.status, errorXml(err, requestId));
    }
  });
  const l = await listenLoopback(server);
  return {
    url: `http://127.0.0.1:${l.port}`,
    region,
    requests,
    onWebIdentity(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: l.close,
  };
}

function callerOf(
  req: import('node:http').IncomingMessage,
  body: Buffer,
  iam: IamAccount,
  region: string,
  record: StsRequestRecord,
): IssuedCredentials {
  const v = verifySigV4(
    { method: req.method ?? 'POST', path: req.url ?? '/', headers: req.headers, body },
    iam,
  );
  record.signedRegion = v.region;
  if (v.region !== undefined && v.region !== region)
    refuse(403, 'SignatureDoesNotMatch', 'Credential should be scoped to a valid region.');
  if (v.service !== undefined && v.service !== 'sts')
    refuse(403, 'SignatureDoesNotMatch', "Credential should be scoped to correct service: 'sts'.");
  if (v.ok) {
    if (v.credentials.expiration.getTime() <= Date.now())
      refuse(403, 'ExpiredToken', 'The security token included in the request is expired');
    return v.credentials;
  }
  switch (v.reason) {
    case 'missing':
      return refuse(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
    case 'unknown-key':
    case 'token-mismatch':
      return refuse(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    case 'malformed':
      return refuse(400, 'IncompleteSignature', v.message);
    case 'clock-skew':
    case 'expired':
      return refuse(403, 'SignatureDoesNotMatch', v.message);
    default:
      return refuse(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      );
  }
}
