import { describe, expect, it } from 'vitest';
import { parseJdbcUrl } from '../../../src/camunda/parse-jdbc-url.js';

const ok = (s: string) => {
  const r = parseJdbcUrl(s);
  if (!r.ok) throw new Error(r.problem);
  return r.url;
};

describe('parseJdbcUrl', () => {
  it('reads the AWS wrapper form with the iam plugin', () => {
    expect(
      ok(
        'jdbc:aws-wrapper:postgresql://db.cluster-x.eu-west-1.rds.amazonaws.com:5432/identity?wrapperPlugins=iam',
      ),
    ).toMatchObject({
      wrapper: true,
      subprotocol: 'postgresql',
      hosts: [{ host: 'db.cluster-x.eu-west-1.rds.amazonaws.com', port: 5432, portDefaulted: false }],
      database: 'identity',
      plugins: ['iam'],
      iam: true,
    });
  });

  it('accepts extra parameters, plugin lists and a user parameter', () => {
    const u = ok(
      'jdbc:aws-wrapper:postgresql://h:6543/db?sslmode=require&wrapperPlugins=failover,iam&ssl=true&user=kc',
    );
    expect(u).toMatchObject({
      iam: true,
      plugins: ['failover', 'iam'],
      user: 'kc',
      params: { sslmode: 'require', ssl: 'true' },
    });
    expect(u.hosts[0]!.port).toBe(6543);
  });

  it('says no IAM for plain pgJDBC, or the wrapper without the iam plugin', () => {
    expect(ok('jdbc:postgresql://h:5432/db?wrapperPlugins=iam').iam).toBe(false);
    expect(ok('jdbc:aws-wrapper:postgresql://h/db').iam).toBe(false);
    expect(ok('jdbc:aws-wrapper:postgresql://h/db?wrapperPlugins=failover').iam).toBe(false);
  });

  it('defaults the port, reads IPv6, several hosts and the local form', () => {
    expect(ok('jdbc:postgresql://h/db').hosts[0]).toEqual({ host: 'h', port: 5432, portDefaulted: true });
    expect(ok('jdbc:postgresql://[::1]:5433/db').hosts[0]).toMatchObject({ host: '::1', port: 5433 });
    expect(ok('jdbc:postgresql://a:1,b:2/db').hosts.map((h) => h.host)).toEqual(['a', 'b']);
    expect(ok('jdbc:postgresql:mydb')).toMatchObject({ hosts: [], database: 'mydb' });
  });

  it('redacts a password parameter in the params and the text', () => {
    const u = ok('jdbc:postgresql://h/db?user=u&password=S3cret!&sslpassword=x2');
    expect(u.params).toMatchObject({ user: 'u', password: '<redacted>', sslpassword: '<redacted>' });
    expect(u.text).not.toContain('S3cret');
    expect(u.text).not.toContain('x2');
  });

  it.each([
    'postgresql://h/db',
    'jdbc:postgresql://h:99999/db',
    'jdbc:postgresql://:5432/db',
    '',
  ])('rejects %j', (s) => {
    expect(parseJdbcUrl(s).ok).toBe(false);
  });
});
