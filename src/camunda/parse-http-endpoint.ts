import { scrubSecretText } from './secret-like.js';

/** An OpenSearch URL as the Camunda clients take it: `https://host[:port]`, port from the scheme. */
export interface HttpEndpoint {
  /** The URL with any user:password@ redacted. */
  readonly text: string;
  readonly protocol: 'http' | 'https';
  readonly host: string;
  readonly port: number;
  readonly portDefaulted: boolean;
}

export function parseHttpEndpoint(
  raw: string,
): { readonly ok: true; readonly endpoint: HttpEndpoint } | { readonly ok: false; readonly problem: string } {
  // Several nodes may be listed; the first is the one to describe.
  const first = raw.split(',')[0]!.trim();
  const m = /^(https?):\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/?#]+)(?::(\d{1,5}))?(?:[/?#].*)?$/i.exec(first);
  if (!m) return { ok: false, problem: 'not an http(s) URL' };
  const protocol = m[1]!.toLowerCase() as 'http' | 'https';
  const port = m[3] ? Number(m[3]) : protocol === 'https' ? 443 : 80;
  if (port < 1 || port > 65535) return { ok: false, problem: `port ${m[3]} is out of range` };
  return {
    ok: true,
    endpoint: {
      text: scrubSecretText(raw.trim()).text,
      protocol,
      host: m[2]!.replace(/^\[|\]$/g, '').toLowerCase(),
      port,
      portDefaulted: !m[3],
    },
  };
}
