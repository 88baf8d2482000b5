import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPERATOR_READS } from '../../../../src/audit/aws/audit-actions.js';

const policy = JSON.parse(
  readFileSync(new URL('../../../../iam/audit-read-only-policy.json', import.meta.url), 'utf8'),
) as { Version: string; Statement: Array<{ Effect: string; Action: string[]; Resource: string }> };

describe('iam/audit-read-only-policy.json', () => {
  it('grants exactly the reads the audit performs, on nothing but reads', () => {
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement.every((s) => s.Effect === 'Allow')).toBe(true);
    const granted = policy.Statement.flatMap((s) => s.Action);
    expect([...granted].sort()).toEqual([...OPERATOR_READS].sort());
    // Read-only by name: nothing that creates, changes, deletes or tags.
    for (const action of granted) expect(action).toMatch(/^[a-z0-9]+:(Get|List|Describe|Lookup|Simulate)/);
  });
});
