// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Spring ${placeholders} are what these tests are about.
import { describe, expect, it } from 'vitest';
import { isPlaceholderOnly, isSecretName, scrubSecretText } from '../../../src/camunda/secret-like.js';

describe('secret-like', () => {
  it.each([
    'SPRING_DATASOURCE_PASSWORD',
    'client-secret',
    'auth.password',
    'apiKey',
    'camunda.license.key',
    'KC_DB_PASSWD',
    'token',
  ])('%s is a secret name', (n) => expect(isSecretName(n)).toBe(true));
  it.each([
    'SPRING_DATASOURCE_USERNAME',
    'awsEnabled',
    'secondary-storage',
    'url',
    'KEYCLOAK_JDBC_PARAMS',
  ])('%s is not', (n) => expect(isSecretName(n)).toBe(false));

  it('tells a placeholder from a value', () => {
    expect(isPlaceholderOnly('${VALUES_OPENSEARCH_PASSWORD:}')).toBe(true);
    expect(isPlaceholderOnly('x${A}')).toBe(false);
  });

  it('scrubs URL and argument passwords, and leaves the rest', () => {
    const s = scrubSecretText(
      'jdbc:postgresql://u:pw@h/db?password=p1&ssl=true --db-password s3 -Dx.password=p2 --db-driver=d',
    );
    expect(s.redacted).toBe(true);
    for (const secret of [':pw@', 'p1', ' s3', 'p2']) expect(s.text).not.toContain(secret);
    expect(s.text).toContain('ssl=true');
    expect(s.text).toContain('--db-driver=d');
    expect(scrubSecretText('wrapperPlugins=iam&sslmode=require')).toEqual({
      text: 'wrapperPlugins=iam&sslmode=require',
      redacted: false,
    });
  });
});
