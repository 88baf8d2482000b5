import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { checkMutation } from '../../../../src/launcher/pod/check-mutation.js';

const pod = (status: object, spec: object = {}): V1Pod =>
  ({
    metadata: {
      name: 'irsa-doctor-zeebe-x2k9z-abcde',
      namespace: 'camunda',
      creationTimestamp: new Date('2026-01-01T00:00:00Z'),
    },
    spec: { containers: [{ name: 'agent', image: 'ghcr.io/irsa-doctor/irsa-doctor:1.0.0' }], ...spec },
    status,
  }) as V1Pod;

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
    // The fix names who must restart: the pod's own namespace and ServiceAccount.
    const zeebe = pod({}, { serviceAccountName: 'zeebe', containers: [{ name: 'agent' }] });
    expect(checkMutation(zeebe, { annotated: true, webhook: 'present' })?.remediation).toContain(
      'restart the workloads that run as camunda/zeebe',
    );
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
