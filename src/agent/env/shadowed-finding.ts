import { finding } from '../../report/finding.js';
import type { Finding, Mechanism } from '../../report/types.js';
import type { ShadowSource, SharedConfigFacts } from './shared-config.js';

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
export function shadowedFinding(
  shared: SharedConfigFacts,
  mechanism: Mechanism,
  who: { namespace?: string },
): Finding {
  const env = shared.shadows.find((s) => s.source === 'env');
  const file = shared.shadows.find((s) => s.source !== 'env');
  const what = shared.shadows
    .map((s) =>
      s.source === 'env' ? `env ${s.keys.join(' + ')}` : `${s.kind} in profile [${s.profile}] of ${s.file}`,
    )
    .join('; ');
  return finding(
    'CHAIN-SHADOWED',
    `The SDK default chain finds credentials before the ${mechanism === 'pod-identity' ? 'Pod Identity container credentials' : 'web identity token'}: ${what}. The pod runs as those, not as ${mechanism === 'pod-identity' ? 'the Pod Identity role' : 'AWS_ROLE_ARN'}.`,
    {
      variant: [
        ...(env ? ['envKeys' as const] : []),
        ...(file ? ['profile' as const] : []),
        ...(file && shared.profileFromEnv ? ['unsetProfile' as const] : []),
        'restart',
      ],
      fix: {
        namespace: who.namespace,
        envKeys: env?.keys.join(', '),
        envKeysUnset: env?.keys.map((k) => `${k}-`).join(' '),
        profileKeys: file?.keys.join(', '),
        profile: file?.profile,
        file: file?.file,
        fileVariable: file?.source === 'credentials-file' ? 'AWS_SHARED_CREDENTIALS_FILE' : 'AWS_CONFIG_FILE',
      },
      details: { sources: shared.shadows.map(describeShadow), profile: shared.profile },
    },
  );
}
