import { describe, expect, it } from 'vitest';
import { accessOutcome, possibleOutcomes } from '../../../../src/audit/permissions/policy-collision.js';

describe('accessOutcome: the service guide\'s "When policies collide"', () => {
  it('in one account an allow in either suffices and an explicit deny in either wins', () => {
    expect(accessOutcome('allow', 'silent', true)).toBe('ok');
    expect(accessOutcome('silent', 'allow', true)).toBe('ok');
    expect(accessOutcome('deny', 'allow', true)).toBe('domain-deny');
    expect(accessOutcome('allow', 'deny', true)).toBe('identity-deny');
    expect(accessOutcome('silent', 'silent', true)).toBe('domain-silent');
  });
  it("an account grant defers to the role's policies", () => {
    expect(accessOutcome('delegate', 'allow', true)).toBe('ok');
    expect(accessOutcome('delegate', 'silent', true)).toBe('identity-silent');
  });
  it('across accounts both must allow', () => {
    expect(accessOutcome('allow', 'allow', false)).toBe('ok');
    expect(accessOutcome('allow', 'silent', false)).toBe('identity-silent');
    expect(accessOutcome('silent', 'allow', false)).toBe('domain-silent');
    expect(accessOutcome('silent', 'deny', false)).toBe('domain-silent');
  });
  it('one outcome is a verdict; an unknown side that could change it is not', () => {
    expect(possibleOutcomes(['silent'], ['allow', 'deny', 'silent'], false)).toEqual(['domain-silent']);
    expect(possibleOutcomes(['deny'], ['allow', 'deny', 'silent'], true)).toEqual(['domain-deny']);
    expect(possibleOutcomes(['allow'], ['allow', 'deny', 'silent'], true).length).toBeGreaterThan(1);
  });
});
