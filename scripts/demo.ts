// `npm run demo`: the agent against the built-in loopback EKS. Starts an OIDC issuer, STS, IMDS, a real
// PostgreSQL behind an RDS-style IAM front door and an OpenSearch domain, then runs the real CLI as a
// few pods (one healthy, several broken the ways IRSA really breaks) and prints each report; then a
// Camunda 8.8 deployment (its Helm release, workloads and ServiceAccounts in a loopback Kubernetes API)
// read component by component with `irsa-doctor camunda --no-pods`.
// Exit 0 when every pod and the deployment got the verdict the demo expects.
import { spawn } from 'node:child_process';
import type { CamundaDocument } from '../src/report/render/camunda.js';
import type { Report } from '../src/report/types.js';
import { startCamundaStack } from '../test/harness/camunda-stack.js';
import { startEksStack } from '../test/harness/eks-stack.js';
import { install, startCamundaWorld } from '../test/support/camunda-world.js';

interface Pod {
  title: string;
  env: Record<string, string>;
  args: string[];
  expect: { verdict: Report['verdict']; code?: string };
}

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (s: string) => (color ? `\x1b[1m${s}\x1b[0m` : s);

const camunda = await startCamundaStack({ imdsMode: 'v2' });
const { eks, rds } = camunda;
const v1Stack = await startEksStack({ imdsMode: 'v1-only' });
// A second role, for Operate: allowed in by IAM but never mapped in OpenSearch's security plugin.
const operate = eks.iam.addRole({
  arn: eks.iam.roleArn('camunda-operate'),
  trustPolicy: eks.healthyTrustPolicy(),
  policies: [],
});
eks.allow('es:ESHttp*', `arn:aws:es:${eks.region}:${eks.iam.accountId}:domain/camunda/*`, operate.arn);

const pg = camunda.postgresArgs();
const os = camunda.opensearchArgs();

const pods: Pod[] = [
  {
    title: 'camunda/zeebe-sa: healthy IRSA, Aurora login and OpenSearch access',
    env: await eks.podEnv({ namespace: 'camunda', serviceAccount: 'zeebe-sa' }),
    args: [...pg, ...os],
    expect: { verdict: 'warn', code: 'PG-LOGIN-OK' },
  },
  {
    title: 'camunda/operate-sa: the role trusts only zeebe-sa (trust policy :sub mismatch)',
    env: await eks.podEnv({ namespace: 'camunda', serviceAccount: 'operate-sa' }),
    args: [],
    expect: { verdict: 'fail', code: 'STS-TRUST-POLICY' },
  },
  {
    title: 'camunda/zeebe-sa: annotation has an extra colon',
    env: await eks.podEnv({ roleArn: 'arn:aws:iam:::111122223333:role/irsa-doctor-app' }),
    args: [],
    expect: { verdict: 'fail', code: 'ARN-INVALID' },
  },
  {
    title: 'camunda/identity: webhook did not mutate the pod; the SDK silently falls back to the node role',
    env: await v1Stack.podEnv({
      omit: ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_STS_REGIONAL_ENDPOINTS'],
    }),
    args: [],
    expect: { verdict: 'fail', code: 'CHAIN-IMDS-FALLBACK' },
  },
  {
    title: 'camunda/zeebe-sa: Aurora user "noiam" was never granted rds_iam (PAM authentication failed)',
    env: await eks.podEnv({ namespace: 'camunda', serviceAccount: 'zeebe-sa' }),
    args: [
      '--postgres',
      rds.frontDoor.endpoint,
      '--postgres-user',
      'noiam',
      '--postgres-database',
      'camunda',
      '--only',
      'postgres-reachability,postgres',
    ],
    expect: { verdict: 'fail', code: 'PG-IAM-AUTH-FAILED' },
  },
  {
    title:
      'camunda/operate-sa: IAM allows OpenSearch but the role is not mapped in fine-grained access control',
    env: await eks.podEnv({ namespace: 'camunda', serviceAccount: 'zeebe-sa', roleArn: operate.arn }),
    args: [...os, '--only', 'opensearch'],
    expect: { verdict: 'fail', code: 'OS-FGAC-UNMAPPED' },
  },
];

const outcomes: string[] = [];
let ok = true;
try {
  for (const pod of pods) {
    process.stdout.write(`\n${bold(`=== ${pod.title}`)}\n\n`);
    const text = await cli(pod.env, ['check', '-o', 'text', ...pod.args]);
    process.stdout.write(text.stdout);
    const json = await cli(pod.env, ['check', '-o', 'json', ...pod.args]);
    const report = JSON.parse(json.stdout) as Report;
    const codes = new Set(report.checks.flatMap((c) => c.findings.map((f) => f.code)));
    const good = report.verdict === pod.expect.verdict && (!pod.expect.code || codes.has(pod.expect.code));
    ok &&= good;
    outcomes.push(
      `${good ? 'as expected' : 'UNEXPECTED '}  ${report.verdict.padEnd(4)} exit ${json.code}  ${pod.title}`,
    );
  }
} finally {
  await v1Stack.close();
  await camunda.close();
}

// A Camunda 8.8 release whose OpenSearch AWS switch was left off: the orchestration cluster and Optimize
// get 401s from Amazon OpenSearch and crash-loop, while their IRSA itself is fine.
{
  const title = 'camunda 8.8 (Helm release): the OpenSearch AWS switch is off, the 401 crash loop';
  process.stdout.write(`\n${bold(`=== ${title}`)}\n\n`);
  const world = await startCamundaWorld();
  try {
    install(world, '8.8', { namespace: 'camunda', opensearchAws: false });
    const env = { KUBECONFIG: world.s.kubeconfig, HOME: world.s.dir };
    const text = await cli(env, ['camunda', '-n', 'camunda', '--no-pods', '-o', 'text']);
    process.stdout.write(text.stdout);
    const json = await cli(env, ['camunda', '-n', 'camunda', '--no-pods', '-o', 'json']);
    const doc = JSON.parse(json.stdout) as CamundaDocument;
    const good =
      doc.verdict === 'fail' &&
      doc.components.some((c) => c.findings.some((f) => f.code === 'CAMUNDA-OPENSEARCH-AWS-DISABLED'));
    ok &&= good;
    outcomes.push(
      `${good ? 'as expected' : 'UNEXPECTED '}  ${doc.verdict.padEnd(4)} exit ${json.code}  ${title}`,
    );
  } finally {
    await world.close();
  }
}
process.stdout.write(`\n${bold('=== Demo summary')}\n${outcomes.join('\n')}\n`);
process.exitCode = ok ? 0 : 1;

function cli(env: Record<string, string>, args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/irsa-doctor.mjs', ...args], {
      env: { PATH: process.env.PATH ?? '', ...(color ? { FORCE_COLOR: '1' } : { NO_COLOR: '1' }), ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.on('close', (code) => resolve({ code, stdout }));
  });
}
