import type { Mechanism } from '../../report/types.js';
import { saFact } from '../audit-context.js';
import type { AwsResult } from '../aws/aws-result.js';
import { type Association, serviceAccountAssociations } from '../pod-identity/associations.js';
import { audienceOf, DEFAULT_AUDIENCE, type RoleAnnotation, roleAnnotationOf } from './role-annotation.js';
import { serviceAccountObject } from './service-account.js';

/** How the ServiceAccount's pods are meant to get AWS credentials, from the ServiceAccount and EKS. */
export interface WorkloadIdentity {
  /** false when the ServiceAccount could not be read (its check says why) */
  known: boolean;
  annotation: RoleAnnotation;
  audience: string;
  /** undefined when the cluster is unknown; a failure when the associations could not be listed */
  associations?: AwsResult<Association[]>;
  mechanism: Mechanism;
}

export const workloadIdentity = saFact('workload-identity', async (ctx): Promise<WorkloadIdentity> => {
  const [sa, associations] = await Promise.all([serviceAccountObject(ctx), serviceAccountAssociations(ctx)]);
  if (!sa.ok)
    return { known: false, annotation: { state: 'absent' }, audience: DEFAULT_AUDIENCE, mechanism: 'none' };
  const annotation = roleAnnotationOf(sa.value);
  const irsa = annotation.state === 'valid' || annotation.state === 'invalid';
  const podIdentity = Boolean(associations?.ok && associations.value.length > 0);
  return {
    known: true,
    annotation,
    audience: audienceOf(sa.value),
    ...(associations ? { associations } : {}),
    mechanism: irsa && podIdentity ? 'both' : irsa ? 'irsa' : podIdentity ? 'pod-identity' : 'none',
  };
});
