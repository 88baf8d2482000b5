import { readLocalFile } from '../../lib/read-local-file.js';
import type { AgentContext } from '../context.js';
import { fact, factFamily } from '../fact.js';
import { type EndpointProbe, probeEndpoint } from '../net/probe-endpoint.js';
import { type PostgresTarget, rdsHostInfo } from './parse-postgres-target.js';
import { rdsCaBundle } from './rds-ca-bundle.js';

/** Per-step network budget: one blackholed endpoint costs about this much per step. */
export const POSTGRES_STEP_MS = 3000;

export type CaBundle =
  | { ok: true; pem: string | undefined; file?: string }
  | { ok: false; file: string; detail: string };

/** AWS's global RDS bundle is about 160 KiB; a file far larger is not a CA bundle. */
const MAX_CA_BYTES = 4 * 1024 * 1024;

/** Reads --postgres-ca once per run; both postgres checks use it. */
export const postgresCa = fact('postgres-ca', async (ctx): Promise<CaBundle> => {
  const file = ctx.options.postgresCa;
  if (!file) return { ok: true, pem: undefined };
  const read = await readLocalFile(file, MAX_CA_BYTES);
  if (!read.ok) return { ok: false, file, detail: read.errno ?? read.detail };
  const pem = read.bytes.toString('utf8');
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    return { ok: false, file, detail: 'no PEM certificate in the file' };
  return { ok: true, pem, file };
});

/**
 * How the certificate of one target is checked: against --postgres-ca when given (it always wins),
 * against the bundled RDS CA for an RDS endpoint name in a region the bundle covers, else not at all
 * (sslmode=require, as the JDBC driver's default).
 */
export type PostgresTls =
  | { verify: true; by: 'file'; ca: string; file: string }
  | { verify: true; by: 'rds-bundle'; ca: string; region: string }
  | { verify: false; why: 'not-rds' | 'region-not-bundled' | 'file-unusable'; region?: string };

export async function postgresTls(ctx: AgentContext, target: PostgresTarget): Promise<PostgresTls> {
  const file = await postgresCa(ctx);
  if (!file.ok) return { verify: false, why: 'file-unusable' };
  if (file.pem && file.file) return { verify: true, by: 'file', ca: file.pem, file: file.file };
  const rds = rdsHostInfo(target.host);
  if (!rds) return { verify: false, why: 'not-rds' };
  const bundle = await rdsCaBundle();
  if (!bundle.regions.has(rds.region))
    return { verify: false, why: 'region-not-bundled', region: rds.region };
  return { verify: true, by: 'rds-bundle', ca: bundle.pem, region: rds.region };
}

/** Which CA verified (or would verify) the certificate, in words and as a detail. */
export function tlsCaText(tls: PostgresTls): string {
  if (tls.verify) return tls.by === 'file' ? `--postgres-ca ${tls.file}` : 'the bundled AWS RDS CA';
  return tls.why === 'region-not-bundled'
    ? `no CA (the bundled AWS RDS CA has no root for ${tls.region}; give --postgres-ca)`
    : 'no CA (no --postgres-ca)';
}

export function tlsCaDetail(tls: PostgresTls): Record<string, unknown> {
  if (tls.verify)
    return tls.by === 'file' ? { by: 'file', file: tls.file } : { by: 'rds-bundle', region: tls.region };
  return { by: 'none', why: tls.why, ...(tls.region ? { region: tls.region } : {}) };
}

/** The DNS/TCP/TLS probe of one target, made once per run however many checks ask. */
export const postgresProbe = factFamily(
  'postgres-probe',
  (target: PostgresTarget) => `${target.host}:${target.port}@${target.address ?? ''}`,
  async (ctx: AgentContext, target: PostgresTarget): Promise<EndpointProbe> => {
    const tls = await postgresTls(ctx, target);
    return probeEndpoint({
      host: target.host,
      port: target.port,
      ...(target.address ? { address: target.address } : {}),
      tls: { startTls: 'postgres', ...(tls.verify ? { ca: tls.ca } : {}) },
      deadlineMs: ctx.deadline.budget(POSTGRES_STEP_MS),
      signal: ctx.deadline.signal,
    });
  },
);
