import { describe, expect, it } from 'vitest';
import { credentialsProblem } from '../../../../src/agent/sts/credentials-problem.js';

const NOW = new Date('2030-01-01T00:00:00Z');
const good = {
  AccessKeyId: 'ASIAEXAMPLE000000001',
  SecretAccessKey: 'secret',
  SessionToken: 'token',
  Expiration: new Date('2030-01-01T01:00:00Z'),
};

describe('credentialsProblem', () => {
  it('accepts what STS issues', () => expect(credentialsProblem(good, NOW)).toBeUndefined());
  it('names expired credentials', () =>
    expect(credentialsProblem({ ...good, Expiration: new Date('2001-01-01T00:00:00Z') }, NOW)).toContain(
      'expired at 2001-01-01T00:00:00.000Z',
    ));
  it('names missing parts', () => {
    expect(credentialsProblem({ ...good, SessionToken: undefined, Expiration: undefined }, NOW)).toBe(
      'the Credentials lack SessionToken, Expiration',
    );
    expect(credentialsProblem(undefined, NOW)).toBe('the answer has no Credentials');
  });
  it('names an access key id of the wrong shape without echoing a secret', () => {
    const p = credentialsProblem({ ...good, AccessKeyId: 'short' }, NOW);
    expect(p).toContain('AccessKeyId');
    expect(p).not.toContain('secret');
  });
});
