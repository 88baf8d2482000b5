import { isSecretName, REDACTED_TEXT, scrubSecretText } from './secret-like.js';

/**
 * A PostgreSQL JDBC URL as pgJDBC and the AWS Advanced JDBC Wrapper read it:
 * `jdbc:[aws-wrapper:]postgresql://host[:port][,host2[:port2]]/database[?k=v&...]`. IAM login is the
 * wrapper's `iam` plugin (`wrapperPlugins=iam`, possibly among others); plain `jdbc:postgresql:`
 * never signs a token, whatever its parameters say.
 */

export interface JdbcUrl {
  /** The URL with password-like parameters redacted. */
  readonly text: string;
  readonly wrapper: boolean;
  readonly subprotocol: string;
  readonly hosts: readonly {
    readonly host: string;
    readonly port: number;
    readonly portDefaulted: boolean;
  }[];
  readonly database?: string;
  /** Query parameters, decoded; password-like ones redacted. */
  readonly params: Readonly<Record<string, string>>;
  /** `wrapperPlugins`, split on commas. */
  readonly plugins: readonly string[];
  readonly iam: boolean;
  /** The `user` parameter, when the URL carries one. */
  readonly user?: string;
}

export const DEFAULT_PG_PORT = 5432;

export function parseJdbcUrl(
  raw: string,
): { readonly ok: true; readonly url: JdbcUrl } | { readonly ok: false; readonly problem: string } {
  const s = raw.trim();
  const m = /^jdbc:(aws-wrapper:)?([a-z][a-z0-9]*):(.*)$/i.exec(s);
  if (!m) return { ok: false, problem: 'not a JDBC URL (jdbc:...)' };
  const wrapper = Boolean(m[1]);
  const subprotocol = m[2]!.toLowerCase();
  const rest = m[3]!;
  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  const query = q < 0 ? '' : rest.slice(q + 1);
  const hosts: Array<{ host: string; port: number; portDefaulted: boolean }> = [];
  let database: string | undefined;
  if (path.startsWith('//')) {
    const slash = path.indexOf('/', 2);
    const authority = slash < 0 ? path.slice(2) : path.slice(2, slash);
    database = slash < 0 ? undefined : decode(path.slice(slash + 1)) || undefined;
    for (const part of authority.replace(/^[^@]*@/, '').split(',')) {
      const hp = /^(\[[^\]]+\]|[^:]*)(?::(\d{1,5}))?$/.exec(part);
      if (!hp?.[1]) return { ok: false, problem: `cannot read host "${part}"` };
      const port = hp[2] ? Number(hp[2]) : DEFAULT_PG_PORT;
      if (port < 1 || port > 65535) return { ok: false, problem: `port ${hp[2]} is out of range` };
      hosts.push({ host: hp[1].replace(/^\[|\]$/g, '').toLowerCase(), port, portDefaulted: !hp[2] });
    }
  } else {
    // jdbc:postgresql:database means localhost
    database = decode(path) || undefined;
  }
  const params: Record<string, string> = {};
  for (const pair of query.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    params[key] = isSecretName(key) && value ? REDACTED_TEXT : value;
  }
  const plugins = (params.wrapperPlugins ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  return {
    ok: true,
    url: {
      text: scrubSecretText(s).text,
      wrapper,
      subprotocol,
      hosts,
      ...(database !== undefined ? { database } : {}),
      params,
      plugins,
      iam: wrapper && plugins.includes('iam'),
      ...(params.user ? { user: params.user } : {}),
    },
  };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
