import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { KubeError, toKubeError } from '../../../src/kube/kube-error.js';

const SERVER = 'https://10.0.0.1:6443';
const status = (code: number, reason: string, message: string) =>
  JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });

describe('toKubeError', () => {
  it("keeps the API server's Status: code, reason, message, from a JSON text or an object body", () => {
    const fromText = toKubeError(
      new ApiException(403, 'Forbidden', status(403, 'Forbidden', 'jobs.batch is forbidden: User "ci"'), {}),
      SERVER,
    );
    expect(fromText).toMatchObject({
      status: 403,
      reason: 'Forbidden',
      message: 'jobs.batch is forbidden: User "ci"',
    });
    expect(fromText.forbidden).toBe(true);
    expect(fromText.server).toBe(SERVER);
    expect(fromText.noAnswer).toBeUndefined();
    const fromObject = toKubeError(new ApiException(404, 'x', { reason: 'NotFound', message: 'gone' }, {}));
    expect(fromObject).toMatchObject({ status: 404, reason: 'NotFound', message: 'gone' });
    expect(fromObject.notFound).toBe(true);
  });

  it('a 401 without a Status body still says the credentials were refused', () => {
    expect(toKubeError(new ApiException(401, 'x', '', {}))).toMatchObject({
      status: 401,
      reason: 'Unauthorized',
      message: 'Unauthorized: the credentials were refused',
    });
  });

  it('any other error without a Status is not Kubernetes: its 404 or 403 is not believed', () => {
    const page = toKubeError(
      new ApiException(404, 'x', '<html><title>Not Found</title>\x1b]0;pwned\x07</html>', {
        'content-type': 'text/html; charset=utf-8',
      }),
      SERVER,
    );
    expect(page.notKubernetes).toBe(true);
    expect(page.notFound).toBe(false);
    expect(page.noAnswer).toBeUndefined();
    expect(page.message).toMatch(
      /^answered HTTP 404 with a body that is not JSON \(text\/html, \d+ bytes, starting "<html><title>Not Found<\/title><\/html>"\), not a Kubernetes Status$/,
    );
    // The page's escape sequence (a window title) never reaches the message.
    expect(page.message).not.toMatch(/\x1b|\x07|pwned/);
    const json = toKubeError(new ApiException(403, 'x', '{"kind":"Pod"}', {}), SERVER);
    expect(json.notKubernetes).toBe(true);
    expect(json.forbidden).toBe(false);
    expect(toKubeError(new ApiException(502, 'x', '', {})).message).toBe(
      'answered HTTP 502 with an empty body, not a Kubernetes Status',
    );
  });

  it('no HTTP answer is unreachable, naming the server and the socket error', () => {
    const err = toKubeError(
      Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }),
      SERVER,
    );
    expect(err.status).toBeUndefined();
    expect(err.noAnswer).toBe('unreachable');
    expect(err.message).toBe(`cannot reach the Kubernetes API at ${SERVER} (ECONNREFUSED)`);
  });

  it('passes a KubeError through, and reads a bare statusCode', () => {
    const own = new KubeError(undefined, undefined, 'interrupted', { noAnswer: 'interrupted' });
    expect(toKubeError(own)).toBe(own);
    expect(own.interrupted).toBe(true);
    expect(toKubeError({ statusCode: 500, message: 'boom' })).toMatchObject({ status: 500, message: 'boom' });
  });
});
