// `irsa-doctor run` end to end: the built CLI talks to the loopback Kubernetes API, whose kubelet
// runs the agent (the same built CLI) against the loopback STS/IMDS/OIDC issuer.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../src/report/types.js';
import { type EksStack, startEksStack } from '../harness/eks-stack.js';
import type { KubeApi, RecordedRequest } from '../harness/kube-api.js';
import { restrictedViolations, validateJob } from '../harness/kube-api-admission.js';
import type { PodRuntime } from '../harness/kubelet.js';
import { eksPodRuntime } from '../harness/kubelet-eks.js';
import { type Blackhole, startBlackhole } from '../harness/net-fixtures.js';
import { type LauncherClusterOptions, startLauncherCluster } from '../support/launcher-cluster.js';
import { rbacAllows, rbacRules } from '../support/rbac.js';
import { schemaErrors, sweepSchemaErrors } from '../support/report-schema.js';
import { type Captured, startCapture } from '../support/spawn-capture.js';

const CLI = fileURLToPath(new URL('../../dist/irsa-doctor.mjs', import.meta.url));
const NS = 'camunda';
const SA = 'zeebe-sa';

let stack: EksStack;
let runtime: PodRuntime;
let dir: string;
const apis: KubeApi[] = [];

beforeAll(async () => {
  stack = await startEksStack({ namespace: NS, serviceAccount: SA });
  runtime = await eksPodRuntime(stack, CLI);
  dir = mkdtempSync(join(tmpdir(), 'irsa-doctor-launcher-'));
});
afterAll(async () => {
  await stack?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const a of apis.splice(0)) await a.close();
});

/** A cluster with namespace camunda (Pod Security "restricted" enforced) and the healthy SA. */
function cluster(opts: LauncherClusterOptions = {}): Promise<{ api: KubeApi; kubeconfig: string }> {
  return startLauncherCluster({ stack, runtime, dir, apis }, NS, SA, opts);
}

type LauncherRun = Captured;

function spawnLauncher(
  kubeconfig: string,
  args: string[],
): { child: ChildProcess; done: Promise<LauncherRun> } {
  return startCapture(process.execPath, [CLI, 'run', ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', KUBECONFIG: kubeconfig, HOME: dir },
  });
}

async function launch(kubeconfig: string, args: string[]) {
  const run = await spawnLauncher(kubeconfig, args).done;
  return withReport(run);
}

function withReport(run: LauncherRun) {
  let report: Report;
  try {
    report = JSON.parse(run.stdout) as Report;
  } catch {
    throw new Error(
      `launcher printed no JSON (exit ${run.code})\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`,
    );
  }
  const launcher = report.checks.find((c) => c.id === 'launcher');
  const finding = (code: string): Finding | undefined => launcher?.findings.find((f) => f.code === code);
  return { ...run, report, launcher, finding, codes: launcher?.findings.map((f) => f.code) ?? [] };
}

/**
 * A kubeconfig whose API server accepts TCP connections and then says nothing: over https the TLS
 * handshake never completes, over http the response never comes.
 */
function blackholeKubeconfig(hole: Blackhole, scheme: 'https' | 'http'): { file: string; server: string } {
  const server = `${scheme}://${hole.host}:${hole.port}`;
  const cluster: Record<string, unknown> = { server };
  if (scheme === 'https')
    cluster['certificate-authority-data'] = Buffer.from(stack.ca.caCertPem).toString('base64');
  else cluster['insecure-skip-tls-verify'] = true;
  const file = join(dir, `kubeconfig-blackhole-${scheme}-${hole.port}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'hole', cluster }],
      users: [{ name: 'u', user: { token: 'not-a-secret' } }],
      contexts: [{ name: 'hole', context: { cluster: 'hole', user: 'u' } }],
      'current-context': 'hole',
    }),
  );
  return { file, server };
}

/** Resolves once `pred` holds, polling (the blackhole has no events to wait on). */
async function until(pred: () => boolean): Promise<void> {
  while (!pred()) await new Promise((r) => setTimeout(r, 20));
}

/** Nothing left behind: no Job, and (the garbage collector runs after the DELETE) no pod. */
async function expectCleanedUp(api: KubeApi) {
  expect(api.jobs()).toEqual([]);
  await api.waitFor(() => api.pods().length === 0);
  const deletes = api.requests.filter((r) => r.verb === 'delete' && r.resource === 'jobs');
  for (const d of deletes) expect(d.propagationPolicy).toBe('Background');
}

/** Whether k8s/rbac.yaml grants the request: its Role in the namespace, its ClusterRole for the rest. */
function allowedByRbac(r: RecordedRequest): boolean {
  const rules = r.namespace
    ? rbacRules('rbac.yaml', 'Role', 'irsa-doctor-launcher')
    : rbacRules('rbac.yaml', 'ClusterRole', 'irsa-doctor-launcher-cluster');
  return rbacAllows(rules, r);
}

describe('irsa-doctor run', () => {
  it('healthy: preflight passes, the webhook mutated the pod, the agent report comes back merged', async () => {
    const { api, kubeconfig } = await cluster();
    const stsBefore = stack.sts.requests.length;
    const r = await launch(kubeconfig, ['-n', NS, '-s', SA, '-o', 'json']);
    expect(r.report.checks[0]?.id).toBe('launcher');
    expect(r.launcher?.status).toBe('pass');
    expect(r.codes).toEqual([
      'LAUNCH-NAMESPACE',
      'LAUNCH-SA-OK',
      'LAUNCH-WEBHOOK-OK',
      'LAUNCH-JOB-CREATED',
      'LAUNCH-MUTATED',
      'LAUNCH-JOB-DELETED',
    ]);
    // The agent ran in the pod with the injected env and the minted token.
    expect(r.report.checks.length).toBeGreaterThan(1);
    expect(r.report.context).toMatchObject({
      mechanism: 'irsa',
      roleArn: stack.roleArn,
      namespace: NS,
      serviceAccount: SA,
    });
    expect(r.report.context.pod).toMatch(/^irsa-doctor-zeebe-sa-[a-z0-9]{5}-[a-z0-9]{5}$/);
    // ...and went all the way to STS with the token the kubelet minted for camunda/zeebe-sa, and STS accepted it.
    const calls = stack.sts.requests.slice(stsBefore).filter((q) => q.action === 'AssumeRoleWithWebIdentity');
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((q) => q.status === 200 && q.params.RoleArn === stack.roleArn)).toBe(true);
    expect(r.code).toBe(r.report.verdict === 'fail' ? 1 : 0);
    await expectCleanedUp(api);
    // k8s/rbac.yaml grants exactly enough: every call the launcher made is allowed by it.
    expect(api.requests.length).toBeGreaterThan(5);
    expect(api.requests.filter((q) => !allowedByRbac(q)).map((q) => `${q.verb} ${q.resource}`)).toEqual([]);
    expect(
      allowedByRbac({
        method: 'POST',
        path: '',
        verb: 'create',
        resource: 'pods',
        namespace: NS,
        status: 0,
        query: '',
      }),
    ).toBe(false);
  });

  it('missing ServiceAccount: stops before creating a Job', async () => {
    const { api, kubeconfig } = await cluster();
    const r = await launch(kubeconfig, ['-n', NS, '-s', 'nope', '-o', 'json']);
    expect(r.code).toBe(1);
    expect(r.finding('LAUNCH-SA-MISSING')?.status).toBe('fail');
    expect(r.report.checks.map((c) => c.id)).toEqual(['launcher']);
    // mechanism 'none' is the contract's placeholder here: a finding says it was not determined.
    expect(r.report.context.mechanism).toBe('none');
    expect(r.finding('LAUNCH-AGENT-NOT-RUN')?.details).toMatchObject({ agentReported: false });
    expect(schemaErrors(r.report)).toEqual([]);
    expect(api.requests.some((q) => q.verb === 'create')).toBe(false);
  });

  it('missing ServiceAccount that RBAC hides: the Job controller FailedCreate event says so', async () => {
    const { api, kubeconfig } = await cluster();
    api.forbid({ verb: 'get', resource: 'serviceaccounts' });
    const r = await launch(kubeconfig, ['-n', NS, '-s', 'nope', '-o', 'json']);
    expect(r.code).toBe(1);
    expect(r.finding('LAUNCH-SA-UNCHECKED')?.status).toBe('skip');
    expect(r.finding('LAUNCH-SA-MISSING')?.status).toBe('fail');
    expect(r.finding('LAUNCH-SA-MISSING')?.message).toContain(
      'error looking up service account camunda/nope',
    );
    await expectCleanedUp(api);
  });

  it('missing namespace: LAUNCH-NAMESPACE-MISSING, no Job', async () => {
    const { api, kubeconfig } = await cluster();
    const r = await launch(kubeconfig, ['-n', 'nowhere', '-s', SA, '-o', 'json']);
    expect(r.code).toBe(1);
    expect(r.finding('LAUNCH-NAMESPACE-MISSING')?.status).toBe('fail');
    expect(api.requests.some((q) => q.verb === 'create')).toBe(false);
  });

  it('ServiceAccount without the annotation: warns, still runs the agent, no mutation expected', async () => {
    const { api, kubeconfig } = await cluster();
    api.addServiceAccount(NS, 'plain');
    const r = await launch(kubeconfig, ['-n', NS, '-s', 'plain', '-o', 'json']);
    expect(r.finding('LAUNCH-SA-NOT-ANNOTATED')?.status).toBe('warn');
    expect(r.finding('LAUNCH-NOT-MUTATED')).toBeUndefined();
    expect(r.report.checks.length).toBeGreaterThan(1);
    expect(r.report.context.mechanism).toBe('none');
    await expectCleanedUp(api);
  });

  it('webhook down: the annotated pod is not mutated -> LAUNCH-NOT-MUTATED', async () => {
    const { api, kubeconfig } = await cluster({ webhook: 'down' });
    const r = await launch(kubeconfig, ['-n', NS, '-s', SA, '-o', 'json']);
    expect(r.code).toBe(1);
    expect(r.finding('LAUNCH-WEBHOOK-OK')?.status).toBe('pass');
    const f = r.finding('LAUNCH-NOT-MUTATED');
    expect(f?.status).toBe('fail');
    expect(f?.details?.missing).toEqual([
      'env AWS_ROLE_ARN',
      'env AWS_WEB_IDENTITY_TOKEN_FILE',
      'projected volume aws-iam-token',
      'volumeMount aws-iam-token',
    ]);
    expect(r.report.context.mechanism).toBe('none');
    await expectCleanedUp(api);
  });

  it('webhook configuration missing: LAUNCH-WEBHOOK-MISSING and LAUNCH-NOT-MUTATED name it', async () => {
    const { api, kubeconfig } = await cluster({ webhook: 'missing' });
    const r = await launch(kubeconfig, ['-n', NS, '-s', SA, '-o', 'json']);
    expect(r.finding('LAUNCH-WEBHOOK-MISSING')?.status).toBe('warn');
    expect(r.finding('LAUNCH-NOT-MUTATED')?.details?.webhook).toBe('missing');
    expect(r.code).toBe(1);
    await expectCleanedUp(api);
  });

  it('image pull failure: LAUNCH-IMAGE-PULL with the registry message, Job deleted', async () => {
    const { api, kubeconfig } = await cluster({
      pullError: (image) =>
        `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": not found`,
    });
    const r = await launch(kubeconfig, [
      '-n',
      NS,
      '-s',
      SA,
      '-o',
      'json',
      '--image',
      'ghcr.io/irsa-doctor/irsa-doctor:9.9.9',
    ]);
    expect(r.code).toBe(1);
    const f = r.finding('LAUNCH-IMAGE-PULL');
    expect(f?.status).toBe('fail');
    expect(f?.details?.reason).toMatch(/^(ErrImagePull|ImagePullBackOff)$/);
    expect(f?.message).toContain('failed to resolve reference');
    expect(r.finding('LAUNCH-MUTATED')?.status).toBe('pass');
    await expectCleanedUp(api);
  });

  it('the agent prints no report (it rejects a check id): LAUNCH-NO-REPORT with its exit code and log tail', async () => {
    const { api, kubeconfig } = await cluster();
    // Agent flags are checked before the Job exists; check ids are the agent's registry's to know.
    const r = await launch(kubeconfig, ['-n', NS, '-s', SA, '-o', 'json', '--', '--only', 'no-such-check']);
    expect(r.code).toBe(1);
    const f = r.finding('LAUNCH-NO-REPORT');
    expect(f?.status).toBe('fail');
    expect(f?.details).toMatchObject({ reason: 'no-json', exitCode: 2, terminated: 'Error' });
    expect((f?.details?.logTail as string[]).join('\n')).toContain('no-such-check');
    expect(r.report.checks.map((c) => c.id)).toEqual(['launcher']);
    await expectCleanedUp(api);
  });

  it('unschedulable (no node matches --node-selector): LAUNCH-UNSCHEDULABLE quotes the scheduler', async () => {
    const { api, kubeconfig } = await cluster();
    const r = await launch(kubeconfig, ['-n', NS, '-s', SA, '-o', 'json', '--node-selector', 'role=gpu']);
    expect(r.code).toBe(1);
    const f = r.finding('LAUNCH-UNSCHEDULABLE');
    expect(f?.status).toBe('fail');
    expect(f?.message).toContain(
      "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector",
    );
    await expectCleanedUp(api);
  });

  it('--keep leaves the Job and says how to inspect and delete it', async () => {
    const { api, kubeconfig } = await cluster();
    const r = await launch(kubeconfig, ['-n', NS, '-s', SA, '-o', 'json', '--keep']);
    const kept = r.finding('LAUNCH-KEPT');
    expect(kept?.status).toBe('info');
    const job = kept?.details?.job as string;
    expect(kept?.message).toContain(`kubectl delete job -n ${NS} ${job}`);
    expect(api.jobs(NS).map((j) => j.metadata.name)).toEqual([job]);
    expect(api.requests.some((q) => q.verb === 'delete')).toBe(false);
  });

  it('RBAC forbids creating Jobs: LAUNCH-FORBIDDEN quotes the API server', async () => {
    const { api, kubeconfig } = await cluster({ user: 'system:serviceaccount:ops:ci' });
    api.forbid({ verb: 'create', resource: 'jobs', namespace: NS });
    const r = await launch(kubeconfig, ['-n', NS, '-s', SA, '-o', 'json']);
    expect(r.code).toBe(1);
    const f = r.finding('LAUNCH-FORBIDDEN');
    expect(f?.status).toBe('fail');
    expect(f?.message).toContain(
      'jobs.batch is forbidden: User "system:serviceaccount:ops:ci" cannot create resource "jobs" in API group "batch" in the namespace "camunda"',
    );
    expect(api.jobs()).toEqual([]);
  });

  it('a policy engine refuses the Job itself for Pod Security: LAUNCH-POD-SECURITY, not LAUNCH-JOB-REJECTED', async () => {
    // Kyverno's podSecurity rule, auto-generated for Jobs, rejects at the Job's creation.
    const { api, kubeconfig } = await cluster({
      jobWebhook: {
        name: 'validate.kyverno.svc-fail',
        deny: (job) =>
          `\n\nresource Job/${job.metadata.namespace}/${job.metadata.name} was blocked due to the following policies \n\npodsecurity-subrule-restricted:\n  autogen-restricted: 'Validation rule ''autogen-restricted'' failed. It violates\n    PodSecurity "restricted:latest": (Forbidden reason: seccompProfile, field error\n    list: [spec.template.spec.containers[0].securityContext.seccompProfile.type is\n    forbidden, forbidden values found: Unconfined])'`,
      },
    });
    const r = await launch(kubeconfig, ['-n', NS, '-s', SA, '-o', 'json']);
    expect(r.code).toBe(1);
    const f = r.finding('LAUNCH-POD-SECURITY');
    expect(f?.status).toBe('fail');
    expect(f?.details).toMatchObject({ refused: 'job', level: 'restricted:latest' });
    expect(f?.message).toContain('admission webhook "validate.kyverno.svc-fail" denied the request');
    expect(r.finding('LAUNCH-JOB-REJECTED')).toBeUndefined();
    expect(r.finding('LAUNCH-JOB-CREATED')).toBeUndefined();
    const creates = api.requests.filter((q) => q.verb === 'create' && q.resource === 'jobs');
    expect(creates.map((q) => q.status)).toEqual([403]);
    expect(api.jobs()).toEqual([]);
  });

  it('webhook configuration not readable: LAUNCH-WEBHOOK-UNCHECKED, the run goes on', async () => {
    const { api, kubeconfig } = await cluster();
    api.forbid({ verb: 'get', resource: 'mutatingwebhookconfigurations' });
    api.forbid({ verb: 'get', resource: 'namespaces' });
    const r = await launch(kubeconfig, ['-n', NS, '-s', SA, '-o', 'json']);
    expect(r.finding('LAUNCH-WEBHOOK-UNCHECKED')?.status).toBe('skip');
    expect(r.finding('LAUNCH-NAMESPACE-UNCHECKED')?.status).toBe('skip');
    expect(r.finding('LAUNCH-MUTATED')?.status).toBe('pass');
    await expectCleanedUp(api);
  });

  it('deadline exceeded while pulling: LAUNCH-DEADLINE from the Job condition', async () => {
    const { api, kubeconfig } = await cluster({ pullDelayMs: 600_000 });
    const r = await launch(kubeconfig, ['-n', NS, '-s', SA, '-o', 'json', '--timeout', '1']);
    expect(r.code).toBe(1);
    const f = r.finding('LAUNCH-DEADLINE');
    expect(f?.status).toBe('fail');
    expect(f?.details).toMatchObject({ reason: 'DeadlineExceeded', phase: 'pulling' });
    await expectCleanedUp(api);
  });

  it('SIGINT while the pod is starting: the Job is deleted, exit 130, LAUNCH-INTERRUPTED', async () => {
    const { api, kubeconfig } = await cluster({ pullDelayMs: 600_000 });
    const { child, done } = spawnLauncher(kubeconfig, ['-n', NS, '-s', SA, '-o', 'json']);
    await api.waitFor(() =>
      api
        .pods(NS)
        .some((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ContainerCreating'),
    );
    child.kill('SIGINT');
    const r = withReport(await done);
    expect(r.code).toBe(130);
    expect(r.finding('LAUNCH-INTERRUPTED')?.status).toBe('fail');
    expect(r.finding('LAUNCH-JOB-DELETED')).toBeDefined();
    expect(api.requests.filter((q) => q.verb === 'delete' && q.resource === 'jobs')).toHaveLength(1);
    await expectCleanedUp(api);
  });

  for (const scheme of ['https', 'http'] as const) {
    it(`API server that never answers (${scheme}): --timeout bounds the whole run, LAUNCH-API-ERROR names the server`, async () => {
      const hole = await startBlackhole();
      try {
        const { file, server } = blackholeKubeconfig(hole, scheme);
        const r = await launch(file, ['-n', NS, '-s', SA, '-o', 'json', '--timeout', '3']);
        expect(r.code).toBe(1);
        expect(hole.connections()).toBeGreaterThan(0);
        const f = r.finding('LAUNCH-API-ERROR');
        expect(f?.status).toBe('fail');
        expect(f?.message).toContain(server);
        expect(f?.details).toMatchObject({ server, noAnswer: 'timeout' });
        expect(r.codes).toEqual(['LAUNCH-API-ERROR', 'LAUNCH-AGENT-NOT-RUN']);
        expect(r.stderr).not.toMatch(/\n\s+at /);
        expect(schemaErrors(r.report)).toEqual([]);
      } finally {
        await hole.close();
      }
    }, 10_000);
  }

  it('--all against an API server that never answers: the sweep stops after --timeout', async () => {
    const hole = await startBlackhole();
    try {
      const { file, server } = blackholeKubeconfig(hole, 'https');
      const run = await spawnLauncher(file, ['--all', '-n', NS, '-o', 'json', '--timeout', '2']).done;
      expect(run.code).toBe(1);
      const doc = JSON.parse(run.stdout) as { runs: unknown[]; findings: Finding[] };
      expect(doc.runs).toEqual([]);
      expect(doc.findings.map((f) => f.code)).toEqual(['LAUNCH-API-ERROR']);
      expect(doc.findings[0]?.details?.server).toBe(server);
    } finally {
      await hole.close();
    }
  }, 10_000);

  for (const [sig, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${sig} during preflight against an API server that never answers: exits ${code} at once`, async () => {
      const hole = await startBlackhole();
      try {
        const { file } = blackholeKubeconfig(hole, 'https');
        // --timeout far beyond the test's own bound: only the signal can end this run in time.
        const { child, done } = spawnLauncher(file, ['-n', NS, '-s', SA, '-o', 'json', '--timeout', '600']);
        await until(() => hole.connections() > 0);
        child.kill(sig);
        const r = withReport(await done);
        expect(r.code).toBe(code);
        expect(r.finding('LAUNCH-INTERRUPTED')?.status).toBe('fail');
        expect(r.finding('LAUNCH-API-ERROR')).toBeUndefined();
        expect(r.stderr).toContain(`${sig} received`);
      } finally {
        await hole.close();
      }
    }, 10_000);
  }

  it('an API server that stops answering the delete: cleanup gives up after its own deadline and names the Job to delete', async () => {
    const { api, kubeconfig } = await cluster();
    api.stall({ verb: 'delete', resource: 'jobs' });
    const r = await launch(kubeconfig, ['-n', NS, '-s', SA, '-o', 'json']);
    // The agent's report still comes back; only the cleanup failed.
    expect(r.report.checks.length).toBeGreaterThan(1);
    const f = r.finding('LAUNCH-CLEANUP-FAILED');
    expect(f?.status).toBe('warn');
    const job = f?.details?.job as string;
    expect(api.jobs(NS).map((j) => j.metadata.name)).toEqual([job]);
    expect(f?.details?.command).toBe(`kubectl delete job -n ${NS} ${job}`);
    expect(f?.message).toContain(`kubectl delete job -n ${NS} ${job}`);
    expect(f?.message).toContain(api.url);
  }, 20_000);

  it('SIGINT while the Job create gets no answer: exits 130, checks whether the Job was made', async () => {
    const { api, kubeconfig } = await cluster();
    api.stall({ verb: 'create', resource: 'jobs' });
    const { child, done } = spawnLauncher(kubeconfig, ['-n', NS, '-s', SA, '-o', 'json']);
    await until(() => api.requests.some((q) => q.verb === 'create' && q.resource === 'jobs'));
    child.kill('SIGINT');
    const r = withReport(await done);
    expect(r.code).toBe(130);
    expect(r.finding('LAUNCH-INTERRUPTED')?.status).toBe('fail');
    // The create never reached the store, so the delete that makes sure finds nothing: no finding about it.
    expect(
      api.requests.filter((q) => q.verb === 'delete' && q.resource === 'jobs').map((q) => q.status),
    ).toEqual([404]);
    expect(r.finding('LAUNCH-JOB-DELETED')).toBeUndefined();
    expect(r.finding('LAUNCH-CLEANUP-FAILED')).toBeUndefined();
    expect(api.jobs()).toEqual([]);
  }, 10_000);

  it('--all: one Job per annotated ServiceAccount, one table, JSON runs document', async () => {
    const { api, kubeconfig } = await cluster();
    api.addServiceAccount(NS, 'bad-arn', { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::12345678901:role/x' });
    api.addServiceAccount(NS, 'other-app', { 'eks.amazonaws.com/role-arn': stack.roleArn });
    api.addServiceAccount(NS, 'plain');
    const run = await spawnLauncher(kubeconfig, ['--all', '-n', NS, '-o', 'json', '--parallel', '2']).done;
    const doc = JSON.parse(run.stdout) as {
      schemaVersion: number;
      runs: Array<{ namespace: string; serviceAccount: string; report: Report }>;
      summary: { fail: number };
      verdict: string;
    };
    expect(doc.schemaVersion).toBe(1);
    expect(sweepSchemaErrors(doc)).toEqual([]);
    expect(doc.verdict).toBe('fail');
    expect(doc.summary.fail).toBeGreaterThan(0);
    expect(doc.runs.map((x) => `${x.namespace}/${x.serviceAccount}`)).toEqual([
      'camunda/bad-arn',
      'camunda/other-app',
      'camunda/zeebe-sa',
    ]);
    const codes = (i: number) => doc.runs[i]!.report.checks[0]!.findings.map((f) => `${f.code}:${f.status}`);
    expect(codes(0)).toContain('LAUNCH-SA-ARN-INVALID:fail');
    expect(doc.runs[0]!.report.verdict).toBe('fail');
    expect(codes(1)).toContain('LAUNCH-MUTATED:pass');
    expect(codes(2)).toContain('LAUNCH-MUTATED:pass');
    for (const x of doc.runs) expect(x.report.checks.length).toBeGreaterThan(1);
    expect(run.code).toBe(1);
    expect(api.requests.filter((q) => q.verb === 'create' && q.resource === 'jobs')).toHaveLength(3);
    await expectCleanedUp(api);
  });

  it('--all -o text: the details SA by SA, then the table and the verdict last', async () => {
    const { kubeconfig, api } = await cluster();
    api.addServiceAccount(NS, 'bad-arn', { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::12345678901:role/x' });
    const run = await spawnLauncher(kubeconfig, ['--all', '-n', NS, '-o', 'text']).done;
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('==== camunda/bad-arn');
    expect(run.stdout).toContain('==== camunda/zeebe-sa');
    // The table where the eye lands when the output stops: the last lines, after every report.
    expect(lines.at(-1)).toMatch(/^Verdict: FAIL \(2 checked: 1 fail, \d warn, \d pass\)$/);
    // run --all says why it picked each ServiceAccount (a role annotation here: no AWS to list Pod Identity).
    const head = lines.findIndex((l) =>
      /^NAMESPACE\/SERVICEACCOUNT\s+MECHANISM\s+VERDICT\s+FAIL\s+WARN\s+FIRST FAILING CODE$/.test(l),
    );
    expect(head).toBeGreaterThan(lines.lastIndexOf('==== camunda/zeebe-sa'));
    expect(lines[head + 1]).toMatch(/^camunda\/bad-arn\s+irsa\s+FAIL\s+\d+\s+\d+\s+LAUNCH-SA-ARN-INVALID$/);
    expect(lines[head + 2]).toMatch(/^camunda\/zeebe-sa\s/);
    expect(run.code).toBe(1);
  });

  it('--all -A sweeps every namespace; a sweep that cannot list ServiceAccounts says why', async () => {
    const { api, kubeconfig } = await cluster();
    api.addNamespace('billing');
    api.addServiceAccount('billing', 'invoicer', {
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/invoicer',
    });
    const run = await spawnLauncher(kubeconfig, ['--all', '-A', '-o', 'json']).done;
    const doc = JSON.parse(run.stdout) as { runs: Array<{ namespace: string; serviceAccount: string }> };
    expect(doc.runs.map((x) => `${x.namespace}/${x.serviceAccount}`)).toEqual([
      'billing/invoicer',
      'camunda/zeebe-sa',
    ]);
    expect(
      api.requests.some((q) => q.verb === 'list' && q.resource === 'serviceaccounts' && !q.namespace),
    ).toBe(true);
    await expectCleanedUp(api);

    api.forbid({ verb: 'list', resource: 'serviceaccounts' });
    const denied = await spawnLauncher(kubeconfig, ['--all', '-n', NS, '-o', 'json']).done;
    const sweep = JSON.parse(denied.stdout) as {
      runs: unknown[];
      findings: Array<{ code: string; status: string }>;
    };
    expect(denied.code).toBe(1);
    expect(sweepSchemaErrors(sweep)).toEqual([]);
    expect(sweep.runs).toEqual([]);
    expect(sweep.findings.map((f) => `${f.code}:${f.status}`)).toEqual(['LAUNCH-FORBIDDEN:fail']);
  });

  it('--dry-run -o json|yaml prints the Job and makes no API call', async () => {
    const { api, kubeconfig } = await cluster();
    const json = await spawnLauncher(kubeconfig, [
      '-n',
      NS,
      '-s',
      SA,
      '--dry-run',
      '-o',
      'json',
      '--',
      '--postgres',
      'db:5432',
    ]).done;
    expect(json.code).toBe(0);
    const job = JSON.parse(json.stdout);
    expect(job).toMatchObject({ kind: 'Job', metadata: { namespace: NS }, spec: { backoffLimit: 0 } });
    expect(job.spec.template.spec.containers[0].args).toEqual([
      'check',
      '-o',
      'json',
      '--timeout',
      '108',
      '--postgres',
      'db:5432',
    ]);
    expect(validateJob(job)).toEqual([]);
    expect(restrictedViolations(job.spec.template.spec)).toEqual([]);
    const yaml = await spawnLauncher(kubeconfig, ['-n', NS, '-s', SA, '--dry-run=client', '-o', 'yaml']).done;
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).toMatch(/^apiVersion: batch\/v1$/m);
    expect(yaml.stdout).toMatch(/^kind: Job$/m);
    expect(yaml.stdout).toContain('serviceAccountName: zeebe-sa');
    expect(api.requests).toEqual([]);
  });

  it('the agent-only bundle the image ships leaves the Kubernetes client out', () => {
    const dist = new URL('../../dist/', import.meta.url);
    const chunks = readdirSync(new URL('agent-chunks/', dist)).filter((f) => f.endsWith('.mjs'));
    expect(chunks.length).toBeGreaterThan(0);
    for (const file of ['agent.mjs', ...chunks.map((f) => `agent-chunks/${f}`)])
      expect(readFileSync(new URL(file, dist), 'utf8')).not.toMatch(
        /makeApiClient|BatchV1Api|createNamespacedJob/,
      );
  });

  it('usage and kubeconfig errors exit 2', async () => {
    const { kubeconfig } = await cluster();
    const noSa = await spawnLauncher(kubeconfig, ['-n', NS]).done;
    expect(noSa.code).toBe(2);
    expect(noSa.stderr).toContain('-s SERVICE_ACCOUNT');
    const badCtx = await spawnLauncher(kubeconfig, ['-n', NS, '-s', SA, '--context', 'prod']).done;
    expect(badCtx.code).toBe(2);
    expect(badCtx.stderr).toContain('--context prod names a context that');
    const noFile = await spawnLauncher(join(dir, 'missing.yaml'), ['-n', NS, '-s', SA]).done;
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain('no Kubernetes configuration found: KUBECONFIG lists');
  });
});
