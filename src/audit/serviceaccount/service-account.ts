import type { V1ServiceAccount } from '@kubernetes/client-node';
import { saFact } from '../audit-context.js';
import { type KubeRead, kubeRead } from '../kube-read.js';

/** The ServiceAccount under audit, read once. */
export const serviceAccountObject = saFact(
  'service-account',
  (ctx): Promise<KubeRead<V1ServiceAccount>> =>
    kubeRead('get', 'serviceaccounts', () =>
      ctx.sweep.kube.readServiceAccount(ctx.namespace, ctx.serviceAccount),
    ),
);
