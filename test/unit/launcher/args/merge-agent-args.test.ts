import { describe, expect, it } from 'vitest';
import { mergeAgentArgs } from '../../../../src/launcher/args/merge-agent-args.js';

describe('mergeAgentArgs', () => {
  const found = [
    '--postgres',
    'a.rds.amazonaws.com:5432',
    '--postgres-user',
    'identity',
    '--opensearch',
    'https://os',
  ];

  it('keeps the discovered targets and adds the user flags after them', () => {
    expect(mergeAgentArgs(found, ['--only', 'postgres'])).toEqual([...found, '--only', 'postgres']);
  });

  it('a flag the user gives replaces every discovered one of that name, in either spelling', () => {
    expect(mergeAgentArgs(found, ['--postgres-user=other'])).toEqual([
      '--postgres',
      'a.rds.amazonaws.com:5432',
      '--opensearch',
      'https://os',
      '--postgres-user=other',
    ]);
    expect(mergeAgentArgs(found, ['--opensearch', 'https://mine'])).toEqual([
      '--postgres',
      'a.rds.amazonaws.com:5432',
      '--postgres-user',
      'identity',
      '--opensearch',
      'https://mine',
    ]);
  });
});
