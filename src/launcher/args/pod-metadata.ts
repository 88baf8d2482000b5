import { LABEL_KEY, LABEL_VALUE } from '../../kube/kube-names.js';
import { JOB_LABELS, VERSION_LABEL } from '../job/job-manifest.js';

/**
 * Labels the launcher and the Job controller set on the pod: the launcher finds its pods, and RBAC
 * audits find its Jobs, by them, so --pod-label may not change them.
 */
const RESERVED_LABELS = new Set([
  ...Object.keys(JOB_LABELS),
  VERSION_LABEL,
  'job-name',
  'controller-uid',
  'batch.kubernetes.io/job-name',
  'batch.kubernetes.io/controller-uid',
  'batch.kubernetes.io/job-completion-index',
]);

/** The API server's limit on all annotations of one object together (keys and values). */
export const MAX_ANNOTATION_BYTES = 256 * 1024;

export type MetadataEntry = { ok: true; key: string; value: string } | { ok: false; problem: string };

/** `KEY=VALUE` of --pod-label, as the API server validates a label (kubectl label's rules). */
export function labelEntry(raw: string): MetadataEntry {
  const split = keyValue(raw);
  if (!split) return { ok: false, problem: 'must be KEY=VALUE' };
  const [key, value] = split;
  if (!LABEL_KEY.test(key)) return { ok: false, problem: `"${key}" is not a valid label key` };
  if (!LABEL_VALUE.test(value))
    return {
      ok: false,
      problem: `"${value}" is not a valid label value (at most 63 characters: letters, digits, "-", "_" and ".", starting and ending with a letter or digit)`,
    };
  if (RESERVED_LABELS.has(key))
    return { ok: false, problem: `label ${key} is set by irsa-doctor or the Job controller` };
  return { ok: true, key, value };
}

/** `KEY=VALUE` of --pod-annotation: the key is a qualified name; the value may be any text. */
export function annotationEntry(raw: string): MetadataEntry {
  const split = keyValue(raw);
  if (!split) return { ok: false, problem: 'must be KEY=VALUE' };
  const [key, value] = split;
  if (!LABEL_KEY.test(key)) return { ok: false, problem: `"${key}" is not a valid annotation key` };
  return { ok: true, key, value };
}

/** Bytes all annotations take, as the API server counts them against MAX_ANNOTATION_BYTES. */
export function annotationBytes(annotations: Readonly<Record<string, string>>): number {
  return Object.entries(annotations).reduce(
    (n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v),
    0,
  );
}

function keyValue(raw: string): [string, string] | undefined {
  const eq = raw.indexOf('=');
  return eq <= 0 ? undefined : [raw.slice(0, eq), raw.slice(eq + 1)];
}
