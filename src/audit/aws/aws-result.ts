// What an AWS API call gave the audit, as a value: the answer, or why not, named so a check can say it.
// An AccessDenied is the operator's missing permission (a skip naming the action), never a verdict.
import { DeadlineError } from '../../lib/deadline.js';
import type { ProxyFailure } from '../../lib/proxy/proxy-router.js';

export type AwsFailureKind =
  /** the operator may not call it */
  | 'access-denied'
  /** the thing asked for does not exist (NoSuchEntity, ResourceNotFound, DBClusterNotFoundFault) */
  | 'not-found'
  /** the operator's own credentials are missing, expired or refused */
  | 'credentials'
  /** nothing answered in time, or the connection failed */
  | 'unreachable'
  | 'error';

export interface AwsFailure {
  ok: false;
  kind: AwsFailureKind;
  /** The IAM action of the call, e.g. `iam:GetRole`: what to grant when denied. */
  action: string;
  /** The error code AWS sent (AccessDenied, NoSuchEntity), or the errno / exception name. */
  code: string;
  message: string;
  httpStatus?: number;
  /** The call failed at the HTTPS_PROXY / HTTP_PROXY proxy, not at AWS. */
  proxy?: ProxyFailure;
}

export type AwsResult<T> = { ok: true; value: T } | AwsFailure;

const DENIED =
  /^(AccessDenied|AccessDeniedException|UnauthorizedOperation|AuthorizationError|UnauthorizedException)$/i;
const NOT_FOUND =
  /^(NoSuchEntity|NoSuchEntityException|ResourceNotFoundException|ResourceNotFound|DBClusterNotFoundFault|DBInstanceNotFound|DBInstanceNotFoundFault|DBProxyNotFoundFault|NotFoundException)$/i;
const CREDENTIALS =
  /^(InvalidClientTokenId|UnrecognizedClientException|ExpiredToken|ExpiredTokenException|AuthFailure|SignatureDoesNotMatch|InvalidSignatureException|CredentialsProviderError|IncompleteSignature|MissingAuthenticationToken)$/i;
const NETWORK =
  /^(ETIMEDOUT|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE|TimeoutError|AbortError|RequestTimeout|ABORT_ERR)$/i;

/** Turns whatever an SDK call threw into a failure value. */
export function awsFailure(e: unknown, action: string): AwsFailure {
  if (e instanceof DeadlineError)
    return {
      ok: false,
      kind: 'unreachable',
      action,
      code: 'timeout',
      message: `no answer within ${e.ms} ms`,
    };
  const o = (e && typeof e === 'object' ? e : {}) as Record<string, unknown> & {
    $metadata?: { httpStatusCode?: number };
    cause?: { code?: unknown };
  };
  const name = typeof o.name === 'string' ? o.name : 'Error';
  const awsCode = typeof o.Code === 'string' ? o.Code : undefined;
  const errno =
    typeof o.code === 'string' ? o.code : typeof o.cause?.code === 'string' ? o.cause.code : undefined;
  const code = awsCode ?? (errno && NETWORK.test(errno) ? errno : name);
  const message = (typeof o.message === 'string' ? o.message : String(e)).split('\n')[0]!.slice(0, 500);
  const httpStatus = o.$metadata?.httpStatusCode;
  const base = { ok: false as const, action, code, message, ...(httpStatus ? { httpStatus } : {}) };
  if (DENIED.test(code) || DENIED.test(name)) return { ...base, kind: 'access-denied' };
  if (NOT_FOUND.test(code) || NOT_FOUND.test(name)) return { ...base, kind: 'not-found' };
  if (CREDENTIALS.test(code) || CREDENTIALS.test(name) || /could not load credentials/i.test(message))
    return { ...base, kind: 'credentials' };
  if (
    httpStatus === undefined &&
    (NETWORK.test(code) || NETWORK.test(name) || (errno && NETWORK.test(errno)))
  )
    return { ...base, kind: 'unreachable' };
  return { ...base, kind: 'error' };
}
