import type { Finding } from '../../report/types.js';
import type { AgentContext } from '../context.js';
import { loginFacts, type PostgresRegion } from './login-facts.js';
import { failureFinding } from './login-findings.js';
import type { PostgresTarget } from './parse-postgres-target.js';
import { plaintextStartup } from './pg-login.js';
import { POSTGRES_STEP_MS } from './postgres-probe.js';

/** The server offers no TLS: hear what it says to a plaintext startup, without ever sending the token. */
export async function plaintextVerdict(
  ctx: AgentContext,
  target: PostgresTarget,
  user: string,
  database: string,
  region: PostgresRegion,
): Promise<Finding> {
  const outcome = await plaintextStartup({
    host: target.host,
    port: target.port,
    ...(target.address ? { address: target.address } : {}),
    user,
    database,
    deadlineMs: ctx.deadline.budget(POSTGRES_STEP_MS),
    signal: ctx.deadline.signal,
  });
  const unsigned = { source: 'not signed', isNodeRole: false };
  const facts = loginFacts(target, user, database, region, unsigned, undefined);
  if (outcome.kind === 'refused' && outcome.failure.kind !== 'ssl-required')
    return failureFinding(facts, outcome.failure);
  const said =
    outcome.kind === 'refused'
      ? `; without TLS it answers: ${outcome.failure.message}`
      : outcome.kind === 'password-requested'
        ? '; without TLS it asks for a password, which would expose the token (not sent)'
        : '';
  return failureFinding(facts, {
    kind: 'tls-unsupported',
    ...(outcome.kind === 'refused' && outcome.failure.sqlstate ? { sqlstate: outcome.failure.sqlstate } : {}),
    message: `the server answered "N" to SSLRequest (no TLS on offer)${said}`,
  });
}
