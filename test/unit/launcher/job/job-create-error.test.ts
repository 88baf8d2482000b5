import { describe, expect, it } from 'vitest';
import { KubeError } from '../../../../src/kube/kube-error.js';
import { jobCreateError } from '../../../../src/launcher/job/job-create-error.js';

const NS = 'camunda';
const JOB = 'irsa-doctor-zeebe-sa-7kq2x';

// Kyverno's podSecurity rule, auto-generated for Jobs, as apiserver wraps a webhook denial
// (Kyverno folds long lines of its YAML-ish report, here between "violates" and "PodSecurity").
const KYVERNO = `admission webhook "validate.kyverno.svc-fail" denied the request: 

resource Job/${NS}/${JOB} was blocked due to the following policies 

podsecurity-subrule-restricted:
  autogen-restricted: 'Validation rule ''autogen-restricted'' failed. It violates
    PodSecurity "restricted:latest": (Forbidden reason: seccompProfile, field error
    list: [spec.template.spec.containers[0].securityContext.seccompProfile.type is
    forbidden, forbidden values found: Unconfined])'`;

describe('jobCreateError', () => {
  it('a 403 "violates PodSecurity" on the Job itself is LAUNCH-POD-SECURITY, not LAUNCH-JOB-REJECTED', () => {
    const f = jobCreateError(new KubeError(403, undefined, KYVERNO), NS, JOB);
    expect(f.code).toBe('LAUNCH-POD-SECURITY');
    expect(f.status).toBe('fail');
    expect(f.details).toMatchObject({ job: JOB, refused: 'job', level: 'restricted:latest' });
    expect(f.message).toContain('autogen-restricted');
    expect(f.remediation).toContain('app.kubernetes.io/name=irsa-doctor');
  });

  it('the same wording from a ValidatingAdmissionPolicy (400 or 422) is also LAUNCH-POD-SECURITY', () => {
    const msg = `jobs.batch "${JOB}" is forbidden: ValidatingAdmissionPolicy 'pss' with binding 'pss' denied request: violates PodSecurity "baseline:v1.33": host namespaces (hostNetwork=true)`;
    for (const status of [400, 422]) {
      const f = jobCreateError(new KubeError(status, 'Invalid', msg), NS, JOB);
      expect(f.code).toBe('LAUNCH-POD-SECURITY');
      expect(f.details?.level).toBe('baseline:v1.33');
    }
  });

  it('other refusals stay LAUNCH-JOB-REJECTED; RBAC stays LAUNCH-FORBIDDEN', () => {
    const quota = jobCreateError(
      new KubeError(
        403,
        'Forbidden',
        `jobs.batch "${JOB}" is forbidden: exceeded quota: jobs, requested: count/jobs.batch=1, used: count/jobs.batch=5, limited: count/jobs.batch=5`,
      ),
      NS,
      JOB,
    );
    expect(quota.code).toBe('LAUNCH-JOB-REJECTED');
    const rbac = jobCreateError(
      new KubeError(
        403,
        'Forbidden',
        `jobs.batch is forbidden: User "ci" cannot create resource "jobs" in API group "batch" in the namespace "${NS}"`,
      ),
      NS,
      JOB,
    );
    expect(rbac.code).toBe('LAUNCH-FORBIDDEN');
    const ns = jobCreateError(new KubeError(404, 'NotFound', 'namespaces "nowhere" not found'), NS, JOB);
    expect(ns.code).toBe('LAUNCH-NAMESPACE-MISSING');
    expect(ns.remediation).toContain(`There is no namespace ${NS} in the cluster`);
  });
});
