import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CoreV1Event, V1Job, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { checkMutation } from '../../src/launcher/check-mutation.js';
import { judgeJob } from '../../src/launcher/judge-job.js';
import { launcherCheck, launcherOnlyReport, mergeReport } from '../../src/launcher/merge-report.js';
import { buildReport } from '../../src/report/build-report.js';
import { isKnownCode } from '../../src/report/codes/index.js';
import { fail, pass } from '../../src/report/finding.js';
import { schemaErrors } from '../support/report-schema.js';

const JOB = 'irsa-doctor-zeebe-x2k9z';
const job = (conditions: object[] = []): V1Job =>
  ({
    metadata: { name: JOB, namespace: 'camunda' },
    spec: { activeDeadlineSeconds: 120 },
    status: { conditions },
  }) as V1Job;
const pod = (status: object, spec: object = {}): V1Pod =>
  ({
    metadata: {
      name: `${JOB}-abcde`,
      namespace: 'camunda',
      creationTimestamp: new Date('2026-01-01T00:00:00Z'),
    },
    spec: { containers: [{ name: 'agent', image: 'ghcr.io/irsa-doctor/irsa-doctor:1.0.0' }], ...spec },
    status,
  }) as V1Pod;
const event = (reason: string, message: string, at = '2026-01-01T00:00:01Z'): CoreV1Event =>
  ({ reason, message, lastTimestamp: new Date(at), involvedObject: {}, metadata: {} }) as CoreV1Event;
const judge = (s: Partial<Parameters<typeof judgeJob>[0]>) =>
  judgeJob({ job: job(), pods: [], jobEvents: [], podEvents: [], ...s });
const codeOf = (o: ReturnType<typeof judgeJob>) =>
  o.kind === 'failed' ? o.finding.code : o.kind === 'waiting' ? `waiting:${o.phase}` : o.kind;

describe('judgeJob', () => {
  it('FailedCreate from Pod Security admission -> LAUNCH-POD-SECURITY', () => {
    const o = judge({
      jobEvents: [
        event(
          'FailedCreate',
          `Error creating: pods "${JOB}-4w6rm" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "agent" must set securityContext.allowPrivilegeEscalation=false), seccompProfile (pod or container "agent" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")`,
        ),
      ],
    });
    expect(codeOf(o)).toBe('LAUNCH-POD-SECURITY');
    expect(o.kind === 'failed' && o.finding.details?.level).toBe('restricted:latest');
  });

  it('FailedCreate for a missing ServiceAccount -> LAUNCH-SA-MISSING', () => {
    const o = judge({
      jobEvents: [
        event(
          'FailedCreate',
          `Error creating: pods "${JOB}-" is forbidden: error looking up service account camunda/zeebe: serviceaccount "zeebe" not found`,
        ),
      ],
    });
    expect(codeOf(o)).toBe('LAUNCH-SA-MISSING');
  });

  it('other FailedCreate (quota) -> LAUNCH-POD-CREATE-FAILED naming the quota', () => {
    const o = judge({
      jobEvents: [
        event(
          'FailedCreate',
          `Error creating: pods "${JOB}-zz" is forbidden: exceeded quota: compute, requested: limits.memory=256Mi, used: limits.memory=2Gi, limited: limits.memory=2Gi`,
        ),
      ],
    });
    expect(codeOf(o)).toBe('LAUNCH-POD-CREATE-FAILED');
    expect(o.kind === 'failed' && o.finding.remediation).toMatch(/ResourceQuota/);
  });

  it('no pod and no event yet: keep waiting', () => {
    expect(codeOf(judge({}))).toBe('waiting:creating');
    expect(codeOf(judge({ jobEvents: [event('SuccessfulCreate', `Created pod: ${JOB}-abcde`)] }))).toBe(
      'waiting:creating',
    );
  });

  it('image pull errors -> LAUNCH-IMAGE-PULL', () => {
    for (const reason of ['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName']) {
      const o = judge({
        pods: [
          pod({
            phase: 'Pending',
            containerStatuses: [
              { name: 'agent', state: { waiting: { reason, message: 'manifest unknown' } } },
            ],
          }),
        ],
      });
      expect(codeOf(o)).toBe('LAUNCH-IMAGE-PULL');
    }
  });

  it('CreateContainerConfigError -> LAUNCH-CONTAINER-CONFIG', () => {
    const o = judge({
      pods: [
        pod({
          phase: 'Pending',
          containerStatuses: [
            {
              name: 'agent',
              state: {
                waiting: {
                  reason: 'CreateContainerConfigError',
                  message: 'container has runAsNonRoot and image will run as root',
                },
              },
            },
          ],
        }),
      ],
    });
    expect(codeOf(o)).toBe('LAUNCH-CONTAINER-CONFIG');
  });

  it('Unschedulable -> LAUNCH-UNSCHEDULABLE with the scheduler event, unless the autoscaler is adding a node', () => {
    const stuck = pod({
      phase: 'Pending',
      conditions: [
        { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'cond message' },
      ],
    });
    const msg =
      "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
    const o = judge({ pods: [stuck], podEvents: [event('FailedScheduling', msg)] });
    expect(codeOf(o)).toBe('LAUNCH-UNSCHEDULABLE');
    expect(o.kind === 'failed' && o.finding.message).toContain(msg);
    const scaling = judge({
      pods: [stuck],
      podEvents: [
        event('FailedScheduling', msg),
        event(
          'TriggeredScaleUp',
          'pod triggered scale-up: [{eks-apps 1->2 (max: 5)}]',
          '2026-01-01T00:00:02Z',
        ),
      ],
    });
    expect(codeOf(scaling)).toBe('waiting:scheduling');
  });

  it('DeadlineExceeded -> LAUNCH-DEADLINE saying where it was', () => {
    const o = judge({
      job: job([
        {
          type: 'Failed',
          status: 'True',
          reason: 'DeadlineExceeded',
          message: 'Job was active longer than specified deadline',
        },
      ]),
      lastPhase: 'pulling',
    });
    expect(codeOf(o)).toBe('LAUNCH-DEADLINE');
    expect(o.kind === 'failed' && o.finding.details).toMatchObject({
      phase: 'pulling',
      reason: 'DeadlineExceeded',
    });
  });

  it('a finished pod, succeeded or failed, means: read its log', () => {
    expect(codeOf(judge({ pods: [pod({ phase: 'Succeeded' })] }))).toBe('finished');
    // The agent exits 1 when a check fails, so the Job fails with BackoffLimitExceeded: still a report.
    expect(
      codeOf(
        judge({
          job: job([{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }]),
          pods: [pod({ phase: 'Failed' })],
        }),
      ),
    ).toBe('finished');
  });

  it('phases while waiting', () => {
    expect(codeOf(judge({ pods: [pod({ phase: 'Pending' })] }))).toBe('waiting:scheduling');
    expect(codeOf(judge({ pods: [pod({ phase: 'Pending' }, { nodeName: 'n1' })] }))).toBe('waiting:pulling');
    expect(codeOf(judge({ pods: [pod({ phase: 'Running' }, { nodeName: 'n1' })] }))).toBe('waiting:running');
  });
});

describe('checkMutation', () => {
  const mutated = pod(
    {},
    {
      containers: [
        {
          name: 'agent',
          env: [
            { name: 'AWS_ROLE_ARN', value: 'arn:aws:iam::111122223333:role/app' },
            {
              name: 'AWS_WEB_IDENTITY_TOKEN_FILE',
              value: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token',
            },
          ],
          volumeMounts: [
            { name: 'aws-iam-token', mountPath: '/var/run/secrets/eks.amazonaws.com/serviceaccount' },
          ],
        },
      ],
      volumes: [
        {
          name: 'aws-iam-token',
          projected: { sources: [{ serviceAccountToken: { audience: 'sts.amazonaws.com', path: 'token' } }] },
        },
      ],
    },
  );
  const bare = pod({}, { containers: [{ name: 'agent' }] });

  it('passes when env, volume and mount are there', () => {
    expect(checkMutation(mutated, { annotated: true, webhook: 'present' })?.code).toBe('LAUNCH-MUTATED');
  });
  it('fails for an annotated SA whose pod was not mutated, naming the likely cause', () => {
    const f = checkMutation(bare, { annotated: true, webhook: 'present' });
    expect(f).toMatchObject({ code: 'LAUNCH-NOT-MUTATED', status: 'fail' });
    expect(f?.message).toMatch(/down or unreachable/);
    expect(checkMutation(bare, { annotated: true, webhook: 'missing' })?.message).toMatch(/does not exist/);
  });
  it('says nothing when no mutation was expected or it could not be known', () => {
    expect(checkMutation(bare, { annotated: false, webhook: 'present' })).toBeUndefined();
    expect(checkMutation(bare, { annotated: undefined, webhook: 'unknown' })).toBeUndefined();
  });
  it('warns when EKS Pod Identity took precedence', () => {
    const pi = pod(
      {},
      {
        containers: [
          {
            name: 'agent',
            env: [
              { name: 'AWS_CONTAINER_CREDENTIALS_FULL_URI', value: 'http://169.254.170.23/v1/credentials' },
            ],
          },
        ],
      },
    );
    expect(checkMutation(pi, { annotated: true, webhook: 'present' })).toMatchObject({
      code: 'LAUNCH-NOT-MUTATED',
      status: 'warn',
    });
  });
});

describe('mergeReport', () => {
  it('puts the launcher check first and recomputes the verdict', () => {
    const agent = buildReport(new Date(), 5, { mechanism: 'irsa' }, [
      { id: 'env', title: 'Env', status: 'pass', durationMs: 1, findings: [pass('ENV-IRSA', 'ok')] },
    ]);
    expect(agent.verdict).toBe('pass');
    const merged = mergeReport(
      agent,
      launcherCheck([fail('LAUNCH-NOT-MUTATED', 'x', 'y')], 3),
      { namespace: 'ns', serviceAccount: 'sa', pod: 'p', node: 'n' },
      10,
    );
    expect(merged.checks.map((c) => c.id)).toEqual(['launcher', 'env']);
    expect(merged.verdict).toBe('fail');
    expect(merged.summary).toMatchObject({ pass: 1, fail: 1 });
    expect(merged.context).toMatchObject({
      namespace: 'ns',
      serviceAccount: 'sa',
      pod: 'p',
      node: 'n',
      mechanism: 'irsa',
    });
  });
});

describe('launcherOnlyReport', () => {
  it("says the agent did not report, so mechanism 'none' reads as not determined", () => {
    const r = launcherOnlyReport(new Date(), 7, launcherCheck([fail('LAUNCH-SA-MISSING', 'x', 'y')], 7), {
      namespace: 'ns',
      serviceAccount: 'sa',
    });
    expect(r.context.mechanism).toBe('none');
    const [check] = r.checks;
    expect(check?.findings.map((f) => `${f.code}:${f.status}`)).toEqual([
      'LAUNCH-SA-MISSING:fail',
      'LAUNCH-AGENT-NOT-RUN:info',
    ]);
    expect(check?.findings[1]?.details).toEqual({ agentReported: false, mechanism: 'not determined' });
    expect(check?.status).toBe('fail');
    expect(r.verdict).toBe('fail');
    expect(schemaErrors(r)).toEqual([]);
  });
});

describe('launcher codes', () => {
  it('every LAUNCH-* code the launcher source emits is in the catalog', () => {
    const dir = join(import.meta.dirname, '../../src/launcher');
    const codes = new Set<string>();
    for (const f of readdirSync(dir)) {
      for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/'(LAUNCH-[A-Z-]+)'/g)) codes.add(m[1]!);
    }
    expect(codes.size).toBeGreaterThan(15);
    expect([...codes].filter((c) => !isKnownCode(c))).toEqual([]);
  });
});
