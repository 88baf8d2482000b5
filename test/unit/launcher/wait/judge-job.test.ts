import type { CoreV1Event, V1Job, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { judgeJob } from '../../../../src/launcher/wait/judge-job.js';

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
    // The event names it NAMESPACE/NAME; the fix names the bare ServiceAccount.
    expect(o.kind === 'failed' && o.finding.remediation).toContain(
      'kubectl create serviceaccount -n camunda zeebe,',
    );
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

  it("sidecars: the agent's exit finishes the run while a mesh proxy keeps the pod Running", () => {
    const containers = [
      { name: 'linkerd-proxy', image: 'cr.l5d.io/linkerd/proxy:edge' },
      { name: 'agent', image: 'ghcr.io/irsa-doctor/irsa-doctor:1.0.0' },
    ];
    const running = pod(
      {
        phase: 'Running',
        containerStatuses: [
          { name: 'linkerd-proxy', state: { running: {} } },
          { name: 'agent', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        ],
      },
      { containers },
    );
    expect(codeOf(judge({ pods: [running] }))).toBe('finished');
    // A native sidecar (init container, restartPolicy Always) is as irrelevant.
    const native = pod({
      phase: 'Running',
      initContainerStatuses: [{ name: 'istio-proxy', state: { running: {} } }],
      containerStatuses: [{ name: 'agent', state: { terminated: { exitCode: 1, reason: 'Error' } } }],
    });
    expect(codeOf(judge({ pods: [native] }))).toBe('finished');
    // While the agent itself still runs, the pod is running, whatever the proxy did.
    const agentRunning = pod(
      {
        phase: 'Running',
        containerStatuses: [
          { name: 'linkerd-proxy', state: { terminated: { exitCode: 0 } } },
          { name: 'agent', state: { running: {} } },
        ],
      },
      { containers, nodeName: 'n1' },
    );
    expect(codeOf(judge({ pods: [agentRunning] }))).toBe('waiting:running');
  });

  it("a sidecar's image that cannot be pulled -> LAUNCH-IMAGE-PULL naming that container and image", () => {
    const o = judge({
      pods: [
        pod(
          {
            phase: 'Pending',
            initContainerStatuses: [
              {
                name: 'istio-proxy',
                state: { waiting: { reason: 'ImagePullBackOff', message: 'not found' } },
              },
            ],
            containerStatuses: [{ name: 'agent', state: { waiting: { reason: 'PodInitializing' } } }],
          },
          {
            initContainers: [{ name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.26.2' }],
            nodeName: 'n1',
          },
        ),
      ],
    });
    expect(codeOf(o)).toBe('LAUNCH-IMAGE-PULL');
    expect(o.kind === 'failed' && o.finding.details).toMatchObject({
      container: 'istio-proxy',
      image: 'docker.io/istio/proxyv2:1.26.2',
    });
  });
});
