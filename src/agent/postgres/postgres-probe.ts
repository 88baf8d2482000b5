import { readLocalFile } from '../../lib/read-local-file.js';
import type { AgentContext } from '../context.js';
import { fact, factFamily } from '../fact.js';
import { type EndpointProbe, probeEndpoint } from '../net/probe-endpoint.js';
import type { PostgresTarget } from './parse-postgres-target.js';

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

/** The DNS/TCP/TLS probe of one target, made once per run however many checks ask. */
export const postgresProbe = factFamily(
  'postgres-probe',
  (target: PostgresTarget) => `${target.host}:${target.port}`,
  async (ctx: AgentContext, target: PostgresTarget): Promise<EndpointProbe> => {
    const ca = await postgresCa(ctx);
    return probeEndpoint({
      host: target.host,
      port: target.port,
      tls: { startTls: 'postgres', ...(ca.ok && ca.pem ? { ca: ca.pem } : {}) },
      deadlineMs: ctx.deadline.budget(POSTGRES_STEP_MS),
      signal: ctx.deadline.signal,
    });
  },
);

/** Whether the probe's certificate verdict should be strict: only when a CA bundle was given. */
export async function verifiesTls(ctx: AgentContext): Promise<boolean> {
  const ca = await postgresCa(ctx);
  return ca.ok && ca.pem !== undefined;
}
