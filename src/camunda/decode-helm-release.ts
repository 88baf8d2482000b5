import { gunzipSync } from 'node:zlib';
import { type HelmRelease, type HelmValues, toHelmReleaseStatus } from './helm-release.js';
import { redactValues } from './redact-values.js';

/**
 * Decodes a release Secret's `data.release` as the Kubernetes API returns it. Helm stores
 * base64(gzip(JSON)) (helm/helm pkg/storage/driver/util.go) and the API base64-encodes Secret data
 * once more. Releases written before Helm compressed them are base64(JSON): like Helm, we only
 * gunzip when the gzip magic is there. Password-like values in the user's values and the chart's
 * defaults are redacted before the release is returned. The rendered manifest is not kept: discovery
 * reads what runs from the API instead, and a manifest is hundreds of KiB of YAML that would have to be
 * parsed to be redacted, only to be thrown away.
 */

export interface DecodeLimits {
  /** Characters of `data.release` accepted (a Secret holds at most 1 MiB, about 1.4 M characters). */
  readonly maxEncodedChars: number;
  /** Bytes of release JSON accepted after decompression. */
  readonly maxJsonBytes: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = {
  maxEncodedChars: 4 * 1024 * 1024,
  maxJsonBytes: 48 * 1024 * 1024,
};

export type DecodeProblem = 'too-large' | 'not-base64' | 'corrupt-gzip' | 'not-json' | 'not-a-release';

export type DecodeResult =
  | { readonly ok: true; readonly release: HelmRelease; readonly compressed: boolean }
  | { readonly ok: false; readonly problem: DecodeProblem; readonly message: string };

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function decodeHelmRelease(
  data: string | undefined,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
  onSecret?: (value: string) => void,
): DecodeResult {
  if (typeof data !== 'string' || data.length === 0) {
    return fail('not-base64', 'the Secret has no data.release');
  }
  if (data.length > limits.maxEncodedChars) {
    return fail(
      'too-large',
      `data.release is ${data.length} characters, over the ${limits.maxEncodedChars} accepted`,
    );
  }
  const outer = strictBase64(data);
  if (!outer)
    return fail('not-base64', 'data.release is not base64 (as the Kubernetes API returns Secret data)');
  const inner = strictBase64(outer.toString('latin1'));
  if (!inner) return fail('not-base64', 'the stored release is not base64 (Helm base64-encodes the release)');
  const compressed = GZIP_MAGIC.every((b, i) => inner[i] === b);
  let json: Buffer = inner;
  if (compressed) {
    try {
      json = gunzipSync(inner, { maxOutputLength: limits.maxJsonBytes });
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
        return fail('too-large', `the release decompresses to more than ${limits.maxJsonBytes} bytes`);
      }
      return fail('corrupt-gzip', 'the stored release starts like gzip but does not decompress');
    }
  } else if (inner.length > limits.maxJsonBytes) {
    return fail('too-large', `the release is more than ${limits.maxJsonBytes} bytes`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json.toString('utf8'));
  } catch {
    return fail('not-json', 'the stored release is not JSON');
  }
  return toRelease(parsed, compressed, onSecret);
}

function strictBase64(s: string): Buffer | undefined {
  const compact = s.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

function toRelease(parsed: unknown, compressed: boolean, onSecret?: (value: string) => void): DecodeResult {
  const r = asRecord(parsed);
  const chart = asRecord(r?.chart);
  const meta = asRecord(chart?.metadata);
  if (!r || typeof r.name !== 'string' || !meta || typeof meta.name !== 'string') {
    return fail('not-a-release', 'the JSON is not a Helm release (no name or chart metadata)');
  }
  const revision = typeof r.version === 'number' && Number.isInteger(r.version) ? r.version : 0;
  const defaults = redactValues((asRecord(chart?.values) ?? {}) as HelmValues, onSecret);
  const config = redactValues((asRecord(r.config) ?? {}) as HelmValues, onSecret);
  return {
    ok: true,
    compressed,
    release: {
      name: r.name,
      namespace: typeof r.namespace === 'string' ? r.namespace : '',
      revision,
      status: toHelmReleaseStatus(asRecord(r.info)?.status),
      chart: {
        name: meta.name,
        version: typeof meta.version === 'string' ? meta.version : '',
        appVersion: typeof meta.appVersion === 'string' ? meta.appVersion : '',
      },
      defaults: defaults.value,
      config: config.value,
      redacted: [...config.paths.map((p) => `config.${p}`), ...defaults.paths.map((p) => `defaults.${p}`)],
    },
  };
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

function fail(problem: DecodeProblem, message: string): DecodeResult {
  return { ok: false, problem, message };
}
