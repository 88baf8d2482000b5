import { resolveCname } from 'node:dns/promises';
import { withDeadline } from '../../lib/deadline.js';
import type { AgentContext } from '../context.js';
import { isSpecialUseName, rdsHostInfo } from './parse-postgres-target.js';

/** When the host is a CNAME of an RDS endpoint, tokens must be signed for the RDS name instead. */
export async function rdsAliasTarget(host: string, ctx: AgentContext): Promise<string | undefined> {
  if (rdsHostInfo(host) || isSpecialUseName(host)) return undefined;
  try {
    const names = await withDeadline(
      resolveCname(host),
      ctx.deadline.budget(1000),
      'CNAME lookup',
      ctx.deadline.signal,
    );
    return names.find((n) => rdsHostInfo(n.replace(/\.$/, '')))?.replace(/\.$/, '');
  } catch {
    return undefined;
  }
}
