import type { LoginFacts } from './login-findings.js';
import type { PostgresTarget } from './parse-postgres-target.js';
import { type PostgresTls, tlsCaDetail, tlsCaText } from './postgres-probe.js';

/** The region a token is signed for, and whether the host name or the configuration gave it. */
export interface PostgresRegion {
  region: string;
  source: 'host name' | 'configuration';
}

/** The facts every login finding reports, whether or not a token was signed. */
export function loginFacts(
  target: PostgresTarget,
  user: string,
  database: string,
  region: PostgresRegion,
  signer: LoginFacts['signer'],
  /** How the certificate is checked; undefined when the server offers no TLS at all. */
  tls: PostgresTls | undefined,
): LoginFacts {
  return {
    host: target.host,
    port: target.port,
    user,
    database,
    region: region.region,
    regionSource: region.source,
    signer,
    tlsVerified: tls?.verify ?? false,
    ...(tls ? { tlsCa: { text: tlsCaText(tls), detail: tlsCaDetail(tls) } } : {}),
  };
}
