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

  it('a 401 without a Status body still says the credentials were refused; other text bodies are quoted', () => {
    expect(toKubeError(new ApiException(401, 'x', '', {}))).toMatchObject({
      status: 401,
      reason: 'Unauthorized',
      message: 'Unauthorized: the credentials were refused',
    });
    expect(toKubeError(new ApiException(502, 'x', '<html>bad gateway</html>', {})).message).toBe(
      '<html>bad gateway</html>',
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
