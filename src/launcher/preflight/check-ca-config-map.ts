import type { KubeClient } from '../../kube/kube-client.js';
import { KubeError } from '../../kube/kube-error.js';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import { apiError } from '../api-error.js';

export interface CaConfigMapCheck {
  finding: Finding;
  /** The kubelet could never mount it: create no Job. */
  stop: boolean;
  interrupted?: boolean;
}

/**
 * --postgres-ca-configmap NAME[/KEY]: the ConfigMap and its key must exist in the ServiceAccount's
 * namespace, or the kubelet leaves the pod in ContainerCreating until the Job's deadline. RBAC that
 * hides it is no reason to stop: the kubelet reads it with its own rights.
 */
export async function checkCaConfigMap(
  kube: KubeClient,
  namespace: string,
  name: string,
  key: string,
): Promise<CaConfigMapCheck> {
  try {
    const cm = await kube.readConfigMap(namespace, name);
    const keys = [...Object.keys(cm.data ?? {}), ...Object.keys(cm.binaryData ?? {})].sort();
    if (keys.includes(key))
      return {
        stop: false,
        finding: finding(
          'LAUNCH-CA-CONFIGMAP',
          `ConfigMap ${namespace}/${name} holds key ${key}; the agent gets it as --postgres-ca.`,
          { status: 'pass', details: { configMap: name, key } },
        ),
      };
    return {
      stop: true,
      finding: finding(
        'LAUNCH-CA-CONFIGMAP-MISSING',
        `ConfigMap ${namespace}/${name} has no key ${key} (it has ${keys.length ? keys.join(', ') : 'none'}), so the kubelet could not mount the CA bundle.`,
        {
          variant: 'key',
          fix: { namespace, configMap: name, keys: keys.join(', ') || undefined },
          details: { configMap: name, key, keys },
        },
      ),
    };
  } catch (e) {
    const err = e instanceof KubeError ? e : new KubeError(undefined, undefined, String(e));
    if (err.interrupted)
      return {
        stop: true,
        interrupted: true,
        finding: apiError(err, `reading ConfigMap ${name}`, namespace),
      };
    if (err.notFound && !err.notKubernetes)
      return {
        stop: true,
        finding: finding(
          'LAUNCH-CA-CONFIGMAP-MISSING',
          `ConfigMap ${namespace}/${name} (--postgres-ca-configmap) does not exist; the kubelet could never start the pod.`,
          { variant: 'configMap', fix: { namespace, configMap: name }, details: { configMap: name, key } },
        ),
      };
    if (err.forbidden && !err.notKubernetes)
      return {
        stop: false,
        finding: finding(
          'LAUNCH-CA-CONFIGMAP',
          `Did not check ConfigMap ${namespace}/${name}: ${err.message}. The Job mounts it anyway.`,
          { status: 'skip', details: { configMap: name, key } },
        ),
      };
    return { stop: true, finding: apiError(err, `reading ConfigMap ${name}`, namespace) };
  }
}
