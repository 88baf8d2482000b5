import { describe, expect, it } from 'vitest';
import { addressScope, isPrivateAddress } from '../../../../src/agent/net/address-scope.js';
import { classifyNetError, isUnknownIssuer } from '../../../../src/agent/net/classify-net-error.js';
import { DeadlineError } from '../../../../src/lib/deadline.js';

const errno = (code: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(code), { code, ...extra });

describe('addressScope', () => {
  it.each([
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'shared'],
    ['100.128.0.1', 'public'],
    ['127.0.0.1', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['52.95.110.1', 'public'],
    ['::1', 'loopback'],
    ['fd00:ec2::254', 'private'],
    ['fe80::1', 'link-local'],
    ['2a05:d018::1', 'public'],
    ['::ffff:10.0.0.5', 'private'],
    ['not-an-ip', 'unspecified'],
  ])('%s is %s', (ip, scope) => {
    expect(addressScope(ip)).toBe(scope);
  });
  it('counts everything but public addresses as private', () => {
    expect(isPrivateAddress('10.0.0.1')).toBe(true);
    expect(isPrivateAddress('100.64.3.4')).toBe(true);
    expect(isPrivateAddress('3.5.140.2')).toBe(false);
  });
});

describe('classifyNetError', () => {
  it('names DNS failures by errno, whatever the phase hint', () => {
    expect(classifyNetError(errno('ENOTFOUND', { syscall: 'getaddrinfo' }))).toMatchObject({
      code: 'NET-DNS',
      errno: 'ENOTFOUND',
      phase: 'dns',
    });
    expect(classifyNetError(errno('EAI_AGAIN'), 'dns')).toMatchObject({
      code: 'NET-DNS',
      errno: 'EAI_AGAIN',
    });
    expect(classifyNetError(errno('ENODATA'))?.code).toBe('NET-DNS');
    expect(classifyNetError(new DeadlineError('DNS lookup', 3000), 'dns')).toMatchObject({
      code: 'NET-DNS',
      errno: 'timeout',
    });
  });
  it('tells refused, timed out, unreachable and reset TCP connects apart', () => {
    expect(classifyNetError(errno('ECONNREFUSED'))?.code).toBe('NET-REFUSED');
    expect(classifyNetError(errno('ETIMEDOUT'))?.code).toBe('NET-TIMEOUT');
    expect(classifyNetError(new DeadlineError('TCP connect', 3000), 'tcp')?.code).toBe('NET-TIMEOUT');
    expect(classifyNetError(new Error('timeout expired'))?.code).toBe('NET-TIMEOUT');
    expect(classifyNetError(errno('EHOSTUNREACH'))?.code).toBe('NET-UNREACHABLE');
    expect(classifyNetError(errno('ENETUNREACH'))?.code).toBe('NET-UNREACHABLE');
    expect(classifyNetError(errno('ECONNRESET'))?.code).toBe('NET-RESET');
  });
  it('maps certificate and handshake errors to NET-TLS', () => {
    for (const code of [
      'CERT_HAS_EXPIRED',
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'ERR_SSL_WRONG_VERSION_NUMBER',
      'EPROTO',
    ]) {
      expect(classifyNetError(errno(code))).toMatchObject({ code: 'NET-TLS', phase: 'tls', errno: code });
    }
    expect(classifyNetError(errno('ECONNRESET'), 'tls')?.code).toBe('NET-TLS');
  });
  it('calls silence after a TCP connect a timeout, not a TLS failure', () => {
    expect(classifyNetError(new DeadlineError('TLS handshake', 3000), 'tls')).toMatchObject({
      code: 'NET-TIMEOUT',
      phase: 'tls',
    });
  });
  it('leaves non-network errors alone', () => {
    expect(
      classifyNetError(
        Object.assign(new Error('PAM authentication failed for user "x"'), {
          code: '28000',
          severity: 'FATAL',
        }),
      ),
    ).toBeUndefined();
    expect(classifyNetError(new Error('something else'))).toBeUndefined();
  });
  it('knows which trust errors only mean "no CA bundle given"', () => {
    expect(isUnknownIssuer('SELF_SIGNED_CERT_IN_CHAIN')).toBe(true);
    expect(isUnknownIssuer('CERT_HAS_EXPIRED')).toBe(false);
  });
});
