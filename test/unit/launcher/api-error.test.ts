import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { ExecCredentialError } from '../../../src/kube/kube-client-config.js';
import { KubeError, toKubeError } from '../../../src/kube/kube-error.js';
import { apiError } from '../../../src/launcher/api-error.js';

const SERVER = 'https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com';

describe('apiError', () => {
  it('an answer that is not Kubernetes is LAUNCH-API-NOT-KUBERNETES, whatever its status says', () => {
    const err = toKubeError(new ApiException(403, 'x', '<html>Access denied by proxy</html>', {}), SERVER);
    const f = apiError(err, 'reading namespace camunda', 'camunda');
    expect(f).toMatchObject({ code: 'LAUNCH-API-NOT-KUBERNETES', status: 'fail' });
    expect(f.message).toContain(`The server at ${SERVER} is not answering as a Kubernetes API server`);
    expect(f.details).toMatchObject({ server: SERVER, status: 403 });
    expect(f.remediation).toContain(SERVER);
  });

  it('an answer past the cap is the tooLarge variant, with the limit', () => {
    const err = new KubeError(200, undefined, 'answered HTTP 200 with more than 8 MiB', {
      server: SERVER,
      notKubernetes: 'more than 8 MiB',
      tooLarge: 8 * 1024 * 1024,
    });
    const f = apiError(err, 'listing pods');
    expect(f.details).toMatchObject({ limitBytes: 8 * 1024 * 1024 });
    expect(f.remediation).toContain('never sends that much');
  });

  it('an exec plugin failing mid-run is a credentials problem, not "cannot reach"', () => {
    const err = toKubeError(
      new ExecCredentialError({
        ok: false,
        kind: 'failed',
        command: 'aws eks get-token --cluster-name prod',
        exitCode: 255,
        message:
          "the kubeconfig's exec plugin `aws eks get-token --cluster-name prod` exited 255: Token has expired",
      }),
      SERVER,
    );
    expect(err.credentials).toBe(true);
    expect(err.noAnswer).toBeUndefined();
    const f = apiError(err, 'waiting for Job j');
    expect(f).toMatchObject({ code: 'LAUNCH-API-ERROR', status: 'fail' });
    expect(f.message).toContain('exited 255: Token has expired');
    expect(f.message).not.toContain('cannot reach');
    expect(f.remediation).toContain('aws sso login');
  });
});
