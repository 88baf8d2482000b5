import { afterEach, describe, expect, it } from 'vitest';
import { classify } from '../../../../src/agent/oidc/oidc-discovery.js';
import { DeadlineError } from '../../../../src/lib/deadline.js';
import { clearRegisteredSecrets } from '../../../../src/lib/redact.js';

afterEach(() => clearRegisteredSecrets());

describe('classify', () => {
  const u = 'https://issuer/.well-known/openid-configuration';
  it.each([
    [{ code: 'ENOTFOUND' }, 'dns'],
    [{ code: 'EAI_AGAIN' }, 'dns'],
    [{ code: 'ECONNREFUSED' }, 'refused'],
    [{ code: 'ECONNRESET' }, 'closed'],
    [{ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }, 'tls'],
    [{ code: 'SELF_SIGNED_CERT_IN_CHAIN' }, 'tls'],
    [{ code: 'ERR_TLS_CERT_ALTNAME_INVALID' }, 'tls'],
    [{ code: 'CERT_HAS_EXPIRED' }, 'tls'],
    [{ cause: { code: 'ECONNREFUSED' } }, 'refused'],
    [{ code: 'EHOSTUNREACH' }, 'network'],
    [{ code: 'ETOOBIG' }, 'not-json'],
    [{ code: 'EBADREDIRECT' }, 'not-json'],
  ])('%j -> %s', (err, kind) => {
    expect(classify(u, Object.assign(new Error('x'), err), 3000).kind).toBe(kind);
  });
  it('a deadline is a timeout', () => {
    expect(classify(u, new DeadlineError(u, 3000), 3000).kind).toBe('timeout');
  });
});
