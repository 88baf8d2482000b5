export const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'] as const;
export type PullPolicy = (typeof PULL_POLICIES)[number];

/**
 * What Kubernetes itself defaults imagePullPolicy to (the API server's defaulting of a container):
 * `Always` for a `:latest` tag or no tag at all, since such a reference names whatever was pushed last and a
 * node's cached copy may be stale; `IfNotPresent` for any other tag or a digest.
 */
export function defaultPullPolicy(image: string): PullPolicy {
  if (image.includes('@')) return 'IfNotPresent';
  // The tag is after the last ':' of the last path segment; a registry port (host:5000/x) is not a tag.
  const last = image.slice(image.lastIndexOf('/') + 1);
  const colon = last.lastIndexOf(':');
  const tag = colon < 0 ? '' : last.slice(colon + 1);
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}
