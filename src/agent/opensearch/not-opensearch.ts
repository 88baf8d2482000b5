// Whether a successful answer looks like OpenSearch at all: a proxy's login page answers 200 too.
import { formatBytes } from '../../lib/body-too-large.js';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import { firstLine } from './classify-opensearch-error.js';
import { AOSS_PROBE_PATH } from './outcome-findings.js';
import type { OpenSearchTarget } from './parse-opensearch-target.js';

/**
 * Why `body` (the answer to GET / on a domain, or to GET _cat/indices on a Serverless collection) is not
 * what OpenSearch sends, or undefined when it is. A domain (OpenSearch or Elasticsearch) always names
 * its version.number; Serverless answers the cat API with a JSON array.
 */
export function notOpenSearchReason(t: OpenSearchTarget, body: unknown): string | undefined {
  if (t.service === 'aoss')
    return Array.isArray(body) ? undefined : `${kindOf(body)}, not the JSON array it lists indices in`;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const v = (body as Record<string, unknown>).version;
    if (v && typeof v === 'object' && typeof (v as Record<string, unknown>).number === 'string')
      return undefined;
  }
  return `${kindOf(body)}, not the cluster information object (name, version.number) OpenSearch sends`;
}

function kindOf(body: unknown): string {
  if (typeof body === 'string') {
    const t = body.trim();
    if (t === '') return 'an empty body';
    if (/^<(!doctype|html|head|body|\?xml)/i.test(t)) return `an HTML or XML page ("${firstLine(t, 80)}")`;
    return `text ("${firstLine(t, 80)}")`;
  }
  if (Array.isArray(body)) return 'a JSON array';
  if (body && typeof body === 'object') return 'a JSON object';
  return `${String(body)}`;
}

/** The finding for an answer that is not OpenSearch's: the wrong shape, or far too large. */
export function notOpenSearchFinding(
  t: OpenSearchTarget & { region: string },
  answer: { status: number; reason?: string; tooLarge?: number },
  details: Record<string, unknown>,
): Finding {
  const path = t.service === 'aoss' ? AOSS_PROBE_PATH : '/';
  const said = answer.tooLarge
    ? `more than ${formatBytes(answer.tooLarge)} (OpenSearch answers it in a few KiB; reading stopped there)`
    : answer.reason;
  return finding(
    'OS-NOT-OPENSEARCH',
    `${t.url} answered the signed GET ${path} with HTTP ${answer.status} and ${said}: that is not OpenSearch.`,
    {
      fix: { url: t.url, host: t.host, domainName: t.domainName },
      details: {
        ...details,
        httpStatus: answer.status,
        ...(answer.tooLarge ? { bodyLimitBytes: answer.tooLarge } : { answer: said }),
      },
    },
  );
}
