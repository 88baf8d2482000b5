import { describe, expect, it } from 'vitest';
import { canonicalEnvName, canonicalProperty } from '../../../src/camunda/spring-property-name.js';

describe('Spring relaxed names', () => {
  it('reduces YAML keys and env names to one form', () => {
    expect(canonicalProperty('camunda.data.secondary-storage.opensearch.aws-enabled')).toBe(
      canonicalEnvName('CAMUNDA_DATA_SECONDARYSTORAGE_OPENSEARCH_AWSENABLED'),
    );
    expect(canonicalProperty('camunda.operate.zeebeOpensearch.awsEnabled')).toBe(
      canonicalEnvName('CAMUNDA_OPERATE_ZEEBEOPENSEARCH_AWSENABLED'),
    );
    expect(canonicalProperty('spring.datasource.url')).toBe(canonicalEnvName('SPRING_DATASOURCE_URL'));
  });

  it('writes list indices one way', () => {
    expect(canonicalProperty('a.b[0].c')).toBe('a.b[0].c');
    expect(canonicalEnvName('A_B_0_C')).toBe('a.b[0].c');
  });
});
