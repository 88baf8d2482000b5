import { fail } from '../../report/finding.js';
import type { Finding, Mechanism } from '../../report/types.js';
import type { ShadowSource, SharedConfigFacts } from '../facts/shared-config.js';

/** A shadowing source for details: where it is and which keys, never their values. */
export function describeShadow(s: ShadowSource): Record<string, unknown> {
  return {
    source: s.source,
    kind: s.kind,
    keys: s.keys,
    ...(s.file ? { file: s.file, profile: s.profile } : {}),
  };
}

/** CHAIN-SHADOWED: what the SDK default chain finds before the injected mechanism, and how to remove each. */
export function shadowedFinding(shared: SharedConfigFacts, mechanism: Mechanism, ns: string): Finding {
  const fixes: string[] = [];
  for (const s of shared.shadows) {
    if (s.source === 'env')
      fixes.push(
        `remove ${s.keys.join(', ')} from the container env (kubectl set env deployment/NAME -n ${ns} ${s.keys.map((k) => `${k}-`).join(' ')}; check envFrom Secrets too)`,
      );
    else
      fixes.push(
        `remove ${s.keys.join(', ')} from profile [${s.profile}] in ${s.file}${shared.profileFromEnv ? ' and unset AWS_PROFILE' : ''} (a file baked into the image or mounted from a Secret), or point ${s.source === 'credentials-file' ? 'AWS_SHARED_CREDENTIALS_FILE' : 'AWS_CONFIG_FILE'} at a file without credentials`,
      );
  }
  const what = shared.shadows
    .map((s) =>
      s.source === 'env' ? `env ${s.keys.join(' + ')}` : `${s.kind} in profile [${s.profile}] of ${s.file}`,
    )
    .join('; ');
  return fail(
    'CHAIN-SHADOWED',
    `The SDK default chain finds credentials before the ${mechanism === 'pod-identity' ? 'Pod Identity container credentials' : 'web identity token'}: ${what}. The pod runs as those, not as ${mechanism === 'pod-identity' ? 'the Pod Identity role' : 'AWS_ROLE_ARN'}.`,
    `Remove the other source: ${fixes.join('; ')}. Then restart the pods.`,
    { sources: shared.shadows.map(describeShadow), profile: shared.profile },
  );
}
