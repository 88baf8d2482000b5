// TokenRequest (`POST /api/v1/namespaces/NS/serviceaccounts/NAME/token`) as the API server serves it:
// the ServiceAccount must exist, spec.audiences defaults to the API server's own audience, and
// expirationSeconds is at least 10 minutes. The token comes from the cluster's OIDC issuer (a hook),
// so STS can verify it the way it verifies the tokens the kubelet projects.
import { invalid, notFound } from './kube-api-status.js';
import type { Store } from './kube-api-store.js';

export interface TokenRequestInput {
  namespace: string;
  serviceAccount: string;
  audiences: string[];
  expirationSeconds: number;
}

/** Mints the token for a TokenRequest; the stack wires it to its OIDC issuer. */
export type TokenIssuer = (r: TokenRequestInput) => Promise<string>;

/** What the API server's --api-audiences defaults to on EKS. */
export const DEFAULT_API_AUDIENCE = 'https://kubernetes.default.svc';
const DEFAULT_EXPIRATION_SECONDS = 3600;
const MIN_EXPIRATION_SECONDS = 600;
/** --service-account-max-token-expiration is unset on EKS; apiserver caps requests at 2^32 s. */
const MAX_EXPIRATION_SECONDS = 2 ** 32;

export async function createToken(
  store: Store,
  issuer: TokenIssuer,
  namespace: string,
  name: string,
  body: string,
): Promise<{ status: number; body: unknown }> {
  let request: { spec?: { audiences?: unknown; expirationSeconds?: unknown } };
  try {
    request = JSON.parse(body || '{}') as typeof request;
  } catch {
    throw invalid('TokenRequest', 'authentication.k8s.io', name, [
      { reason: 'FieldValueInvalid', message: 'the body is not JSON', field: 'body' },
    ]);
  }
  if (!store.find('serviceaccounts', namespace, name)) throw notFound('serviceaccounts', name);
  const audiences = Array.isArray(request.spec?.audiences)
    ? (request.spec.audiences as unknown[]).filter((a): a is string => typeof a === 'string')
    : [];
  const expirationSeconds =
    typeof request.spec?.expirationSeconds === 'number'
      ? request.spec.expirationSeconds
      : DEFAULT_EXPIRATION_SECONDS;
  if (expirationSeconds < MIN_EXPIRATION_SECONDS || expirationSeconds > MAX_EXPIRATION_SECONDS)
    throw invalid('TokenRequest', 'authentication.k8s.io', name, [
      {
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${expirationSeconds}: may not specify a duration ${expirationSeconds < MIN_EXPIRATION_SECONDS ? 'less than 10 minutes' : 'larger than 2^32 seconds'}`,
        field: 'spec.expirationSeconds',
      },
    ]);
  const granted = audiences.length > 0 ? audiences : [DEFAULT_API_AUDIENCE];
  const token = await issuer({ namespace, serviceAccount: name, audiences: granted, expirationSeconds });
  const expires = new Date(Date.now() + expirationSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    status: 201,
    body: {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name, namespace, creationTimestamp: null },
      spec: { audiences: granted, expirationSeconds, boundObjectRef: null },
      status: { token, expirationTimestamp: expires },
    },
  };
}
