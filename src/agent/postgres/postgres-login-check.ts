import { directRoute } from '../../lib/proxy/proxy-route.js';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import { chainCredentials } from '../chain/chain-credentials.js';
import type { Check } from '../check.js';
import type { AgentContext } from '../context.js';
import { region as regionFact } from '../env/region.js';
import { withPath } from '../net/path-findings.js';
import { probeFindings } from '../net/probe-findings.js';
import { describeRdsCluster } from './describe-rds-cluster.js';
import { iamAuthFailure } from './iam-auth-diagnosis.js';
import { loginFacts } from './login-facts.js';
import { failureFinding, sessionFindings } from './login-findings.js';
import {
  type PostgresTarget,
  parsePostgresTarget,
  postgresRegion,
  rdsHostInfo,
} from './parse-postgres-target.js';
import { loginWithIamToken } from './pg-login.js';
import { plaintextVerdict } from './plaintext-verdict.js';
import {
  POSTGRES_STEP_MS,
  postgresCa,
  postgresProbe,
  postgresTls,
  tlsCaDetail,
  tlsCaText,
} from './postgres-probe.js';
import { rdsAliasTarget } from './rds-alias-target.js';

/** Logs in to each --postgres endpoint with an IAM token signed by the credentials the pod really gets. */
export const postgresLoginCheck: Check = {
  id: 'postgres',
  title: 'Aurora/RDS PostgreSQL IAM login',
  async run(ctx) {
    const { postgres, postgresUser } = ctx.options;
    if (postgres.length === 0)
      return [finding('PG-NOT-CONFIGURED', 'No --postgres endpoint given; IAM login not tested.')];
    // A target that cannot be parsed is named first: the user flag alone would not make the run work.
    const parsed = postgres.map((raw) => ({ raw, parsed: parsePostgresTarget(raw) }));
    const invalid = parsed.flatMap(({ raw, parsed: p }) => (p.ok ? [] : [targetInvalid(raw, p.problem)]));
    if (!postgresUser) {
      return [
        ...invalid,
        finding(
          'PG-USER-MISSING',
          `--postgres ${postgres.join(',')} was given without a database user; the token is signed for one user.`,
        ),
      ];
    }
    const ca = await postgresCa(ctx);
    if (!ca.ok) {
      return [
        finding(
          'PG-CA-UNREADABLE',
          `--postgres-ca ${ca.file} cannot be used (${ca.detail}); verify-full was asked for, so no login was tried.`,
          { details: { file: ca.file } },
        ),
      ];
    }
    const results = await Promise.all(
      parsed.map(({ raw, parsed: p }) =>
        p.ok
          ? loginTarget(ctx, p.target, postgresUser).then((f) =>
              // PostgreSQL is not HTTP: no proxy variable applies, whatever is set.
              withPath(f, directRoute(ctx.env, 'not-http', `${p.target.host}:${p.target.port}`)),
            )
          : Promise.resolve([targetInvalid(raw, p.problem)]),
      ),
    );
    return results.flat();
  },
};

function targetInvalid(raw: string, problem: string): Finding {
  return finding('PG-TARGET-INVALID', `--postgres "${raw}": ${problem}.`, {
    status: 'fail',
    details: { raw },
  });
}

async function loginTarget(ctx: AgentContext, target: PostgresTarget, user: string): Promise<Finding[]> {
  const database = ctx.options.postgresDatabase ?? user;
  const region = postgresRegion(target.host, (await regionFact(ctx)).value);
  if (!region) {
    return [
      finding(
        'PG-REGION-UNKNOWN',
        `${target.host} is not an *.rds.amazonaws.com name and no region is configured, so the token cannot be signed.`,
        { details: { host: target.host } },
      ),
    ];
  }
  // Login only after the endpoint answers; the network finding is the answer otherwise.
  const probe = await postgresProbe(ctx, target);
  const tls = await postgresTls(ctx, target);
  const where = `${target.host}:${target.port}`;
  if (probe.tls?.refused) return [await plaintextVerdict(ctx, target, user, database, region)];
  const blocking = probeFindings(probe, {
    service: 'PostgreSQL',
    verifyTls: tls.verify,
    trustedBy: tlsCaText(tls),
  }).filter((f) => f.status === 'fail');
  if (blocking.length > 0) {
    return blocking.map((f) => ({
      ...f,
      message: `Login not attempted: ${f.message}`,
      details: { ...f.details, tlsCa: tlsCaDetail(tls) },
    }));
  }

  const chain = await chainCredentials(ctx);
  if (!chain.ok) {
    return [
      finding(
        'PG-LOGIN-SKIPPED',
        `No AWS credentials to sign a token for ${where} (${chain.reason}); see the CHAIN-*/STS-* findings.`,
        { details: { reason: chain.reason, detail: chain.detail } },
      ),
    ];
  }
  const signer = {
    source: chain.source,
    callerArn: chain.callerArn,
    account: chain.account,
    isNodeRole: chain.isNodeRole,
  };
  const facts = loginFacts(target, user, database, region, signer, tls);
  const result = await loginWithIamToken({
    host: target.host,
    port: target.port,
    ...(target.address ? { address: target.address } : {}),
    user,
    database,
    region: region.region,
    credentials: chain.credentials,
    ...(tls.verify ? { ca: tls.ca } : {}),
    deadlineMs: ctx.deadline.budget(POSTGRES_STEP_MS + 1000),
    signal: ctx.deadline.signal,
  });
  if (result.ok) return sessionFindings(facts, result.session, result.authMethod);
  if (result.failure.kind !== 'iam-auth-failed')
    return [failureFinding(facts, result.failure, result.authMethod)];

  const hostInfo = rdsHostInfo(target.host);
  const [cluster, cnameTarget] = await Promise.all([
    describeRdsCluster({
      host: target.host,
      port: target.port,
      region: region.region,
      hostInfo,
      credentials: chain.credentials,
      env: ctx.env,
      deadlineMs: ctx.deadline.budget(POSTGRES_STEP_MS),
      signal: ctx.deadline.signal,
    }),
    rdsAliasTarget(target.host, ctx),
  ]);
  return [
    iamAuthFailure({
      ...facts,
      hostInfo,
      cnameTarget,
      cluster,
      serverMessage: result.failure.message,
      ...(result.failure.sqlstate ? { sqlstate: result.failure.sqlstate } : {}),
      podRoleArn: ctx.env.AWS_ROLE_ARN?.trim(),
      tokenAgeMs: result.tokenAgeMs,
    }),
  ];
}
