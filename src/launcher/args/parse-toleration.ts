import { LABEL_KEY, LABEL_VALUE } from '../../kube/kube-names.js';
import type { Toleration } from '../job/job-manifest.js';

export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

/**
 * kubectl-style `key=value:Effect`, `key:Effect` (operator Exists), `key=value` (any effect);
 * undefined for anything the API server would refuse.
 */
export function parseToleration(raw: string): Toleration | undefined {
  const m = /^([^=:]+)(?:=([^:]*))?(?::([A-Za-z]+))?$/.exec(raw);
  if (!m || !LABEL_KEY.test(m[1]!)) return undefined;
  const [, key, value, effect] = m;
  if (effect !== undefined && !(TAINT_EFFECTS as readonly string[]).includes(effect)) return undefined;
  if (value !== undefined && !LABEL_VALUE.test(value)) return undefined;
  const t: Toleration = { key: key!, operator: value === undefined ? 'Exists' : 'Equal' };
  if (value !== undefined) t.value = value;
  if (effect !== undefined) t.effect = effect as Toleration['effect'];
  return t;
}
