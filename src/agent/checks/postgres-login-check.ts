import { fail, skip } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { Check } from '../check.js';
import type { AgentContext } from '../context.js';
import { chainCredentials } from '../facts/chain-credentials.js';
import { probeFindings } from '../net/probe-findings.js';
import { describeRdsCluster } from '../postgres/describe-rds-cluster.js';
import { iamAuthFailure } from '../postgres/iam-auth-diagnosis.js';
import { loginFacts } from '../postgres/login-facts.js';
import { failureFinding, sessionFindings } from '../postgres/login-findings.js';
import {
  type PostgresTarget,
  parsePostgresTarget,
  postgresRegion,
  rdsHostInfo,
} from '../postgres/parse-postgres-target.js';
import { loginWithIamToken } from '../postgres/pg-login.js';
import { plaintextVerdict } from '../postgres/plaintext-verdict.js';
import { POSTGRES_STEP_MS, postgresCa, postgresProbe, verifiesTls } from '../postgres/postgres-probe.js';
import { rdsAliasTarget } from '../postgres/rds-alias-target.js';

/** Logs in to each --postgres endpoint with an IAM token signed by the credentials the pod really gets. */
export const postgresLoginCheck: Check = {
  id: 'postgres',
  title: 'Aurora/RDS PostgreSQL IAM login',
  async run(ctx) {
    const { postgres, postgresUser } = ctx.options;
    if (postgres.length === 0)
      return [skip('PG-NOT-CONFIGURED', 'No --postgres endpoint given; IAM login not tested.')];
    // A target that cannot be parsed is named first: the user flag alone would not make the run work.
    const parsed = postgres.map((raw) => ({ raw, parsed: parsePostgresTarget(raw) }));
    const invalid = parsed.flatMap(({ raw, parsed: p }) => (p.ok ? [] : [targetInvalid(raw, p.problem)]));
    if (!postgresUser) {
      return [
        ...invalid,
        fail(
          'PG-USER-MISSING',
          `--postgres ${postgres.join(',')} was given without a database user; the token is signed for one user.`,
          'Add --postgres-user USER (env IRSA_DOCTOR_POSTGRES_USER): the user the application logs in as.',
        ),
      ];
    }
    const ca = await postgresCa(ctx);
    if (!ca.ok) {
      return [
        fail(
          'PG-CA-UNREADABLE',
          `--postgres-ca ${ca.file} cannot be used (${ca.detail}); verify-full was asked for, so no login was tried.`,
          'curl -o global-bundle.pem https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem and pass --postgres-ca global-bundle.pem.',
          { file: ca.file },
        ),
      ];
    }
    const results = await Promise.all(
      parsed.map(({ raw, parsed: p }) =>
        p.ok ? loginTarget(ctx, p.target, postgresUser) : Promise.resolve([targetInvalid(raw, p.problem)]),
      ),
    );
    return results.flat();
  },
};

function targetInvalid(raw: string, problem: string): Finding {
  return fail(
    'PG-TARGET-INVALID',
    `--postgres "${raw}": ${problem}.`,
    'Pass the cluster endpoint as HOST or HOST:PORT.',
    { raw },
  );
}

async function loginTarget(ctx: AgentContext, target: PostgresTarget, user: string): Promise<Finding[]> {
  const database = ctx.options.postgresDatabase ?? user;
  const region = postgresRegion(target.host, ctx.facts.region);
  if (!region) {
    return [
      fail(
        'PG-REGION-UNKNOWN',
        `${target.host} is not an *.rds.amazonaws.com name and no region is configured, so the token cannot be signed.`,
        'Pass --region REGION (the cluster region) or set AWS_REGION in the pod.',
        { host: target.host },
      ),
    ];
  }
  // Login only after the endpoint answers; the network finding is the answer otherwise.
  const probe = await postgresProbe(ctx, target);
  const verifyTls = await verifiesTls(ctx);
  const where = `${target.host}:${target.port}`;
  if (probe.tls?.refused) return [await plaintextVerdict(ctx, target, user, database, region)];
  const blocking = probeFindings(probe, { service: 'PostgreSQL', verifyTls }).filter(
    (f) => f.status === 'fail',
  );
  if (blocking.length > 0) {
    return blocking.map((f) => ({ ...f, message: `Login not attempted: ${f.message}` }));
  }

  const chain = await chainCredentials(ctx);
  if (!chain.ok) {
    return [
      skip(
        'PG-LOGIN-SKIPPED',
        `No AWS credentials to sign a token for ${where} (${chain.reason}); see the CHAIN-*/STS-* findings.`,
        {
          reason: chain.reason,
          detail: chain.detail,
        },
      ),
    ];
  }
  const signer = {
    source: chain.source,
    callerArn: chain.callerArn,
    account: chain.account,
    isNodeRole: chain.isNodeRole,
  };
  const facts = loginFacts(target, user, database, region, signer, verifyTls);
  const ca = await postgresCa(ctx);
  const caPem = ca.ok ? ca.pem : undefined;
  const result = await loginWithIamToken({
    host: target.host,
    port: target.port,
    user,
    database,
    region: region.region,
    credentials: chain.credentials,
    ...(caPem ? { ca: caPem } : {}),
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
      podRoleArn: ctx.facts.roleArn ?? ctx.env.AWS_ROLE_ARN,
      tokenAgeMs: result.tokenAgeMs,
    }),
  ];
}
