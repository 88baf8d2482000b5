import { describe, expect, it } from 'vitest';
import { fillTemplate, placeholdersOf, unknownValue } from '../../../../src/report/catalog/template.js';

describe('fix templates', () => {
  it('fills known values and names the unknown ones, with or without a stated fallback', () => {
    expect(
      fillTemplate('kubectl annotate sa {{serviceAccount}} -n {{namespace}}', { namespace: 'camunda' }),
    ).toBe('kubectl annotate sa SERVICE_ACCOUNT -n camunda');
    expect(fillTemplate('restart {{workload|deployment/NAME}}', {})).toBe('restart deployment/NAME');
    expect(fillTemplate('restart {{workload|deployment/NAME}}', { workload: 'sts/zeebe' })).toBe(
      'restart sts/zeebe',
    );
    expect(fillTemplate('port {{port}}', { port: 5432 })).toBe('port 5432');
    expect(unknownValue('roleArn')).toBe('ROLE_ARN');
  });

  it('leaves JSON braces alone', () => {
    const t = '{"Principal":{"AWS":"{{roleArn}}"}}';
    expect(placeholdersOf(t)).toEqual(['roleArn']);
    expect(fillTemplate(t, { roleArn: 'arn:aws:iam::1:role/x' })).toBe(
      '{"Principal":{"AWS":"arn:aws:iam::1:role/x"}}',
    );
  });
});
