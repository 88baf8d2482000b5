import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, SignJWT } from 'jose';

export const HOSTILE_ROLE = 'arn:aws:iam::210987654321:role/alt-app';
const keys = generateKeyPair('RS256');

/** A projected-token-shaped JWT (signed by a throwaway key: only STS peers that verify nothing see it). */
export async function podToken(o: { iss?: string; aud?: string } = {}): Promise<string> {
  const { privateKey } = await keys;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ 'kubernetes.io': { namespace: 'ns', serviceaccount: { name: 'sa' } } })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(o.iss ?? 'https://oidc.eks.us-west-2.amazonaws.com/id/HOSTILE')
    .setSubject('system:serviceaccount:ns:sa')
    .setAudience(o.aud ?? 'sts.amazonaws.com')
    .setIssuedAt(now - 60)
    .setNotBefore(now - 60)
    .setExpirationTime(now + 3600)
    .sign(privateKey);
}

export interface HostilePod {
  env: Record<string, string>;
  cleanup(): void;
}

/**
 * The env of a pod whose AWS peers are the given URLs; unset ones point at `closed` (a port nothing
 * listens on). `irsa: false` leaves out the web identity variables; `podIdentity` sets EKS Pod Identity's.
 */
export async function hostilePod(o: {
  closed: number;
  sts?: string;
  imds?: string;
  podIdentity?: string;
  irsa?: boolean;
  tokenIss?: string;
  extra?: Record<string, string>;
}): Promise<HostilePod> {
  const dir = mkdtempSync(join(tmpdir(), 'hostile-pod-'));
  const closed = `http://127.0.0.1:${o.closed}`;
  const env: Record<string, string> = {
    HOME: dir,
    AWS_REGION: 'us-west-2',
    AWS_ENDPOINT_URL_STS: o.sts ?? closed,
    AWS_EC2_METADATA_SERVICE_ENDPOINT: o.imds ?? closed,
  };
  if (o.irsa !== false) {
    const file = join(dir, 'token');
    writeFileSync(file, await podToken(o.tokenIss ? { iss: o.tokenIss } : {}));
    Object.assign(env, { AWS_ROLE_ARN: HOSTILE_ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: file });
  }
  if (o.podIdentity) {
    const file = join(dir, 'eks-pod-identity-token');
    writeFileSync(file, await podToken({ aud: 'pods.eks.amazonaws.com' }));
    Object.assign(env, {
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${o.podIdentity}/v1/credentials`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: file,
    });
  }
  Object.assign(env, o.extra ?? {});
  return { env, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
