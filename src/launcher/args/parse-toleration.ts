import { LABEL_KEY, LABEL_VALUE } from '../../kube/kube-names.js';
import { RunUsageError } from '../run-usage-error.js';

export interface Toleration {
  key: string;
  operator: 'Equal' | 'Exists';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

/** kubectl-style `key=value:Effect`, `key:Effect` (operator Exists), `key=value` (any effect). */
export function parseToleration(raw: string): Toleration {
  const m = /^([^=:]+)(?:=([^:]*))?(?::([A-Za-z]+))?$/.exec(raw);
  const bad = () =>
    new RunUsageError(
      `--toleration must be KEY=VALUE:EFFECT, KEY:EFFECT or KEY=VALUE (EFFECT one of ${EFFECTS.join(', ')}), not "${raw}"`,
    );
  if (!m || !LABEL_KEY.test(m[1]!)) throw bad();
  const [, key, value, effect] = m;
  if (effect !== undefined && !(EFFECTS as readonly string[]).includes(effect)) throw bad();
  if (value !== undefined && !LABEL_VALUE.test(value)) throw bad();
  const t: Toleration = { key: key!, operator: value === undefined ? 'Exists' : 'Equal' };
  if (value !== undefined) t.value = value;
  if (effect !== undefined) t.effect = effect as Toleration['effect'];
  return t;
}
