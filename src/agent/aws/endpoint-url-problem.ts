/**
 * Why an endpoint setting (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, ...) cannot be used as one, or
 * undefined when it is an http(s) URL with a host. Found by running the SDK: it neither rejects
 * "not a url" (it throws ERR_INVALID_URL from deep inside the request, which reads as a refusal) nor
 * `file:///etc/passwd` (it dials port 80 of an empty host, which reads as "connection refused"), so
 * a bad setting must be caught before any call. The reason names the kind of value, never the value:
 * a URL-shaped setting may carry a password.
 */
export function endpointUrlProblem(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return 'is empty';
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(v)
      ? 'is not a valid URL'
      : 'is not a URL (it needs a scheme: https://HOST)';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    return `is a ${u.protocol} URL; an endpoint is an http:// or https:// URL`;
  if (u.hostname === '') return 'has no host name';
  return undefined;
}
