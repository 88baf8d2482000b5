import { promises as fsp } from 'node:fs';
import { dirname } from 'node:path';
import { fail, pass, skip } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { Check } from '../check.js';
import type { AgentContext } from '../context.js';
import { loadPodIdentityToken, loadToken, MAX_TOKEN_BYTES, type TokenLoad } from '../facts/token.js';

/** A token the pod presents: the IRSA web identity token or the Pod Identity token. */
export interface TokenSource {
  mechanism: 'irsa' | 'pod-identity';
  envVar: 'AWS_WEB_IDENTITY_TOKEN_FILE' | 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE';
  /** where the webhook mounts it */
  mountDir: string;
  volume: string;
  audience: string;
  load(ctx: AgentContext): Promise<TokenLoad>;
}

export const TOKEN_SOURCES: readonly TokenSource[] = [
  {
    mechanism: 'irsa',
    envVar: 'AWS_WEB_IDENTITY_TOKEN_FILE',
    mountDir: '/var/run/secrets/eks.amazonaws.com/serviceaccount',
    volume: 'aws-iam-token',
    audience: 'sts.amazonaws.com',
    load: loadToken,
  },
  {
    mechanism: 'pod-identity',
    envVar: 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
    mountDir: '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount',
    volume: 'eks-pod-identity-token',
    audience: 'pods.eks.amazonaws.com',
    load: loadPodIdentityToken,
  },
];

/** The sources whose variable is set in this pod. */
export function presentTokenSources(ctx: AgentContext): TokenSource[] {
  return TOKEN_SOURCES.filter((s) => Boolean(ctx.env[s.envVar]));
}

/** Is the token file where the env says, readable, bounded and a JWT? */
export const tokenFileCheck: Check = {
  id: 'token-file',
  title: 'Projected token file is mounted and readable',
  async run(ctx) {
    const sources = presentTokenSources(ctx);
    if (sources.length === 0)
      return [
        skip(
          'TOKEN-FILE-NOT-SET',
          'No AWS_WEB_IDENTITY_TOKEN_FILE or AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE to check.',
        ),
      ];
    return Promise.all(sources.map(async (s) => judge(s, await s.load(ctx))));
  },
};

async function judge(s: TokenSource, load: TokenLoad): Promise<Finding> {
  const base = { mechanism: s.mechanism, envVar: s.envVar, path: load.path };
  if (load.ok) {
    return pass('TOKEN-FILE-OK', `${s.envVar} (${load.path}) holds a JWT.`, {
      ...base,
      alg: load.header.alg,
      kid: load.header.kid,
      length: load.text.length,
    });
  }
  const where = `${s.envVar}=${load.path}`;
  switch (load.reason) {
    case 'missing': {
      const dirExists = await fsp.stat(dirname(load.path!)).then(
        (st) => st.isDirectory(),
        () => false,
      );
      return fail(
        'TOKEN-FILE-MISSING',
        `${where} but there is no such file (${load.detail}); ${dirExists ? 'its directory exists but holds no token' : 'its directory does not exist either'}.`,
        `The projected volume is not mounted in this container. Let the webhook inject it: remove ${s.envVar} if the container sets it by hand, make sure the container is not listed in the pod annotation eks.amazonaws.com/skip-containers, and restart the pod. If you mount it yourself, the container needs volumeMounts: [{ name: ${s.volume}, mountPath: ${s.mountDir}, readOnly: true }] (no subPath: a subPath mount never refreshes) and ${s.envVar} must point at the file inside.`,
        { ...base, errno: load.errno, directoryExists: dirExists },
      );
    }
    case 'unreadable':
      return load.errno === 'EISDIR'
        ? fail(
            'TOKEN-FILE-UNREADABLE',
            `${where} is a directory, not the token file.`,
            `Point ${s.envVar} at the token file inside the mount, e.g. ${s.mountDir}/${s.mechanism === 'irsa' ? 'token' : 'eks-pod-identity-token'}.`,
            { ...base, errno: load.errno },
          )
        : fail(
            'TOKEN-FILE-UNREADABLE',
            `${where} cannot be read: ${load.detail}.`,
            'The kubelet writes the projected token readable by root only unless the pod says otherwise. Add to the pod spec `securityContext:\n  fsGroup: 65534` (a GID the container runs with; the kubelet then makes the token group-readable), or run every container with the same `runAsUser` so the kubelet chowns the token to it; then restart the pod.',
            { ...base, errno: load.errno, ...(await ownership(load.path!)) },
          );
    case 'too-large':
      return fail(
        'TOKEN-MALFORMED',
        `${where} is too large to be a token (${load.detail}); only ${MAX_TOKEN_BYTES} bytes are read.`,
        `Mount the kubelet-projected serviceAccountToken volume (${s.volume}) at ${s.mountDir} instead of whatever file is there now, and restart the pod.`,
        { ...base, reason: load.reason, detail: load.detail },
      );
    case 'malformed':
      return fail(
        'TOKEN-MALFORMED',
        `${where} is not a JWT: ${load.detail}.`,
        `Mount the kubelet-projected serviceAccountToken volume (${s.volume}) at ${s.mountDir} instead of whatever file is there now, and restart the pod.`,
        { ...base, reason: load.reason, detail: load.detail },
      );
    default:
      return skip('TOKEN-FILE-NOT-SET', `${s.envVar} is empty.`, base);
  }
}

async function ownership(path: string): Promise<Record<string, unknown>> {
  const proc = {
    processUid: process.getuid?.(),
    processGid: process.getgid?.(),
    groups: process.getgroups?.(),
  };
  try {
    const st = await fsp.stat(path);
    return {
      ...proc,
      fileMode: (st.mode & 0o777).toString(8).padStart(4, '0'),
      fileUid: st.uid,
      fileGid: st.gid,
    };
  } catch {
    return proc;
  }
}
