// A service mesh's sidecar injector, as a mutating admission webhook on pod creation: Istio appends its
// proxy container (or, with native sidecars, adds it as an init container with restartPolicy Always),
// Linkerd puts its proxy first. Namespaces opt in with a label (Istio) or an annotation (Linkerd); a pod
// opts out with the mesh's own annotation. The proxy never exits on its own, as a real one does not.
import type { KubeObject } from './kube-api-store.js';

export type MeshKind = 'istio' | 'istio-native' | 'linkerd';

export const MESH_PROXY_IMAGES: Readonly<Record<MeshKind, string>> = {
  istio: 'docker.io/istio/proxyv2:1.26.2',
  'istio-native': 'docker.io/istio/proxyv2:1.26.2',
  linkerd: 'cr.l5d.io/linkerd/proxy:edge-25.6.1',
};

/** Whether the namespace asks for injection, the way each mesh's webhook selects namespaces. */
function namespaceOptsIn(kind: MeshKind, ns: KubeObject | undefined): boolean {
  if (kind === 'linkerd') return ns?.metadata.annotations?.['linkerd.io/inject'] === 'enabled';
  return ns?.metadata.labels?.['istio-injection'] === 'enabled';
}

function podOptsOut(kind: MeshKind, pod: KubeObject): boolean {
  const a = pod.metadata.annotations ?? {};
  if (kind === 'linkerd') return a['linkerd.io/inject'] === 'disabled';
  return (
    a['sidecar.istio.io/inject'] === 'false' || pod.metadata.labels?.['sidecar.istio.io/inject'] === 'false'
  );
}

/**
 * Adds the mesh's proxy to the pod when its namespace opts in and the pod does not opt out. Returns
 * whether it did. The proxy meets Pod Security "restricted" (as Istio's with its CNI plugin, and
 * Linkerd's, do), so only the sidecar's life, not admission, is what a test sees.
 */
export function injectMeshSidecar(kind: MeshKind, pod: KubeObject, ns: KubeObject | undefined): boolean {
  if (!namespaceOptsIn(kind, ns) || podOptsOut(kind, pod)) return false;
  const name = kind === 'linkerd' ? 'linkerd-proxy' : 'istio-proxy';
  const proxy: KubeObject = {
    name,
    image: MESH_PROXY_IMAGES[kind],
    args: ['proxy', 'sidecar'],
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 1337,
      capabilities: { drop: ['ALL'] },
    },
  } as unknown as KubeObject;
  if (kind === 'istio-native') {
    pod.spec.initContainers = [...(pod.spec.initContainers ?? []), { ...proxy, restartPolicy: 'Always' }];
  } else if (kind === 'linkerd') {
    pod.spec.containers = [proxy, ...pod.spec.containers];
  } else {
    pod.spec.containers = [...pod.spec.containers, proxy];
  }
  pod.metadata.annotations = {
    ...pod.metadata.annotations,
    [`${kind === 'linkerd' ? 'linkerd.io' : 'sidecar.istio.io'}/status`]: 'injected',
  };
  return true;
}

/** Whether an image is a mesh proxy: the kubelet runs it as a process that never exits. */
export function isMeshProxy(image: string): boolean {
  return Object.values(MESH_PROXY_IMAGES).includes(image);
}

/**
 * The proxy's process: says it is ready, then waits forever, and shrugs off SIGTERM as an Envoy draining
 * its connections would, so only SIGKILL (the end of the grace period) stops it.
 */
export const MESH_PROXY_PROCESS = [
  process.execPath,
  '-e',
  "process.on('SIGTERM', () => console.log('proxy: draining')); console.log('proxy: Envoy proxy is ready'); setInterval(() => {}, 1 << 30);",
];
