import { describe, expect, it } from 'vitest';
import { buildJob } from '../../../../src/launcher/job/job-manifest.js';
import { placementOf } from '../../../../src/launcher/job/pod-placement.js';

const NODE_AFFINITY = {
  requiredDuringSchedulingIgnoredDuringExecution: {
    nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['camunda'] }] }],
  },
};

describe('placementOf', () => {
  it("takes a workload's node selector, tolerations and node affinity, never its pod (anti-)affinity", () => {
    const p = placementOf({
      nodeSelector: { pool: 'camunda' },
      tolerations: [
        { key: 'dedicated', operator: 'Equal', value: 'camunda', effect: 'NoSchedule' },
        { key: 'spot', operator: 'Exists' },
        { key: 'gone', value: 'x', effect: 'NoExecute' },
      ],
      affinity: {
        nodeAffinity: NODE_AFFINITY,
        // Zeebe's one-broker-per-node rule would keep the agent off the very nodes Zeebe runs on.
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [] },
      } as never,
    });
    expect(p).toEqual({
      nodeSelector: { pool: 'camunda' },
      tolerations: [
        { key: 'dedicated', operator: 'Equal', value: 'camunda', effect: 'NoSchedule' },
        { key: 'spot', operator: 'Exists' },
        { key: 'gone', operator: 'Equal', value: 'x', effect: 'NoExecute' },
      ],
      nodeAffinity: NODE_AFFINITY,
    });
    const job = buildJob({
      namespace: 'camunda',
      serviceAccount: 'zeebe',
      image: 'img',
      timeoutSeconds: 60,
      suffix: 'bcdfg',
      agentArgs: [],
      ...p,
    });
    expect(job.spec.template.spec.affinity).toEqual({ nodeAffinity: NODE_AFFINITY });
    expect(job.spec.template.spec.nodeSelector).toEqual({ pool: 'camunda' });
  });

  it('an empty or odd pod template places nothing', () => {
    expect(placementOf(undefined)).toEqual({ nodeSelector: {}, tolerations: [] });
    expect(placementOf({ affinity: { nodeAffinity: 'x' } })).toEqual({ nodeSelector: {}, tolerations: [] });
    const job = buildJob({
      namespace: 'n',
      serviceAccount: 's',
      image: 'i',
      timeoutSeconds: 60,
      suffix: 'bcdfg',
      agentArgs: [],
      ...placementOf(undefined),
    });
    expect(job.spec.template.spec).not.toHaveProperty('affinity');
  });
});
