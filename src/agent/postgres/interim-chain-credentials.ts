// INTERIM until src/agent/facts/chain-credentials.ts lands: the same answer shape, from the SDK's own
// default chain plus one GetCallerIdentity. Delete and wire chainCredentials() in postgres-checks.ts then.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { withDeadline } from '../../lib/deadline.js';
import { registerSecret } from '../../lib/redact.js';
import type { ChainCredentialsResult } from '../checks/postgres-login-check.js';
import type { AgentContext } from '../context.js';

export function interimChainCredentials(ctx: AgentContext): Promise<ChainCredentialsResult> {
  return ctx.shared('interim-chain-credentials', async (): Promise<ChainCredentialsResult> => {
    try {
      const creds = await withDeadline(
        fromNodeProviderChain({ timeout: 1000, maxRetries: 0 })(),
        ctx.deadline.budget(5000),
        'credential chain',
        ctx.deadline.signal,
      );
      registerSecret(creds.secretAccessKey);
      registerSecret(creds.sessionToken);
      const sts = new STSClient({
        region: ctx.facts.region ?? 'us-east-1',
        credentials: creds,
        maxAttempts: 1,
      });
      const id = await withDeadline(
        sts.send(new GetCallerIdentityCommand({})),
        ctx.deadline.budget(3000),
        'sts:GetCallerIdentity',
        ctx.deadline.signal,
      ).catch(() => undefined);
      const arn = id?.Arn;
      return {
        ok: true,
        source: ctx.env.AWS_WEB_IDENTITY_TOKEN_FILE ? 'web-identity' : 'unknown',
        credentials: creds,
        callerArn: arn,
        account: id?.Account,
        isNodeRole: /assumed-role\/[^/]+\/i-[0-9a-f]+$/.test(arn ?? ''),
      };
    } catch (e) {
      return { ok: false, reason: 'no-credentials', detail: e instanceof Error ? e.message : String(e) };
    }
  });
}
