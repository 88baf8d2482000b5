// What the four AWS wire protocols the audit meets look like, for the emulators in this folder:
// - awsQuery (IAM, RDS): form-encoded requests with `Name.member.N` lists, XML answers
//   `<OpResponse><OpResult>..</OpResult><ResponseMetadata><RequestId>` and `<ErrorResponse><Error>`;
// - ec2Query (EC2): the same requests (lists as `Name.N`), lowerCamel XML with `<item>` lists and
//   `<Response><Errors><Error>` errors;
// - restJson1 (EKS, OpenSearch): the error code in `x-amzn-errortype`, the text in `message`;
// - awsJson1.1 (CloudTrail): the error code in `__type`.
import { xmlEscape } from '../http-util.js';

export type WireProtocol = 'query' | 'ec2' | 'rest-json' | 'json';

/** An XML map (`<entry><key/><value/></entry>`), e.g. EvalDecisionDetails. */
export class XmlMap {
  constructor(readonly entries: Record<string, string>) {}
}
export type XmlValue =
  | string
  | number
  | boolean
  | Date
  | undefined
  | null
  | XmlMap
  | XmlValue[]
  | { [key: string]: XmlValue };

export const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Serialises one element. Lists wrap each item in `member` (awsQuery), `item` (EC2) or the name
 * `memberName` gives for that list (RDS names its items: DBCluster, DBClusterMember, ...).
 */
export function toXml(name: string, value: XmlValue, memberName: (list: string) => string): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return `<${name}>${isoSeconds(value)}</${name}>`;
  if (value instanceof XmlMap)
    return `<${name}>${Object.entries(value.entries)
      .map(([k, v]) => `<entry><key>${xmlEscape(k)}</key><value>${xmlEscape(v)}</value></entry>`)
      .join('')}</${name}>`;
  if (Array.isArray(value)) {
    const item = memberName(name);
    return `<${name}>${value.map((v) => toXml(item, v, memberName)).join('')}</${name}>`;
  }
  if (typeof value === 'object')
    return `<${name}>${Object.entries(value)
      .map(([k, v]) => toXml(k, v, memberName))
      .join('')}</${name}>`;
  return `<${name}>${xmlEscape(String(value))}</${name}>`;
}

export function queryResponseXml(
  operation: string,
  xmlns: string,
  result: Record<string, XmlValue>,
  requestId: string,
  memberName: (list: string) => string = () => 'member',
): string {
  const body = Object.entries(result)
    .map(([k, v]) => toXml(k, v, memberName))
    .join('');
  return `<${operation}Response xmlns="${xmlns}"><${operation}Result>${body}</${operation}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`;
}

export function ec2ResponseXml(
  operation: string,
  xmlns: string,
  result: Record<string, XmlValue>,
  requestId: string,
): string {
  const body = Object.entries(result)
    .map(([k, v]) => toXml(k, v, () => 'item'))
    .join('');
  return `<${operation}Response xmlns="${xmlns}"><requestId>${requestId}</requestId>${body}</${operation}Response>`;
}

export interface WireError {
  status: number;
  code: string;
  message: string;
  /** extra members of a JSON error body (EKS's clusterName, ...) */
  fields?: Record<string, unknown>;
}

export function errorResponse(
  protocol: WireProtocol,
  e: WireError,
  requestId: string,
  xmlns = '',
): { headers: Record<string, string>; body: string } {
  switch (protocol) {
    case 'query':
      return {
        headers: { 'content-type': 'text/xml' },
        body: `<ErrorResponse xmlns="${xmlns}"><Error><Type>Sender</Type><Code>${xmlEscape(e.code)}</Code><Message>${xmlEscape(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    case 'ec2':
      return {
        headers: { 'content-type': 'text/xml;charset=UTF-8' },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${xmlEscape(e.code)}</Code><Message>${xmlEscape(e.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
      };
    case 'rest-json':
      return {
        headers: {
          'content-type': 'application/json',
          'x-amzn-errortype': `${e.code}:http://internal.amazon.com/coral/com.amazonaws.emulated/`,
        },
        body: JSON.stringify({ ...e.fields, message: e.message }),
      };
    case 'json':
      return {
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        body: JSON.stringify({ __type: e.code, Message: e.message, ...e.fields }),
      };
  }
}

/**
 * A list parameter of a Query request: `Name.member.1`, `Name.member.2`, ... (awsQuery), `Name.1`
 * (EC2, segment ''), or RDS's named items (`Filters.Filter.1`).
 */
export function listParam(params: Record<string, string>, name: string, segment = 'member'): string[] {
  const prefix = segment ? `${name}.${segment}.` : `${name}.`;
  return Object.keys(params)
    .filter((k) => k.startsWith(prefix) && /^\d+$/.test(k.slice(prefix.length)))
    .sort((a, b) => Number(a.slice(prefix.length)) - Number(b.slice(prefix.length)))
    .map((k) => params[k]);
}

/** A list of structures: each item's own parameters with the `Name.member.N.` prefix removed. */
export function structListParam(
  params: Record<string, string>,
  name: string,
  segment = 'member',
): Array<Record<string, string>> {
  const prefix = segment ? `${name}.${segment}.` : `${name}.`;
  const items = new Map<number, Record<string, string>>();
  for (const [k, v] of Object.entries(params)) {
    if (!k.startsWith(prefix)) continue;
    const m = /^(\d+)\.(.+)$/.exec(k.slice(prefix.length));
    if (!m) continue;
    const n = Number(m[1]);
    if (!items.has(n)) items.set(n, {});
    (items.get(n) as Record<string, string>)[m[2]] = v;
  }
  return [...items.entries()].sort(([a], [b]) => a - b).map(([, v]) => v);
}

/** Opaque pagination tokens (an offset), as base64 so nobody mistakes them for numbers. */
export const pageToken = {
  encode: (offset: number) => Buffer.from(JSON.stringify({ o: offset })).toString('base64'),
  decode(token: string | undefined): number | undefined {
    if (token === undefined || token === '') return 0;
    try {
      const o = (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { o?: unknown }).o;
      return typeof o === 'number' && Number.isInteger(o) && o >= 0 ? o : undefined;
    } catch {
      return undefined;
    }
  },
};
