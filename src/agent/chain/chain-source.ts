// Which provider of the SDK's default Node chain won is read from evidence, not guessed from env. In
// @aws-sdk/credential-providers 3.1169 (read from node_modules) the providers tag the credentials'
// `$source` with feature flags:
//   fromEnv                        CREDENTIALS_ENV_VARS
//   fromIni (any profile kind)     CREDENTIALS_PROFILE* (plus CREDENTIALS_STS_ASSUME_ROLE* when it assumes)
//   fromProcess                    CREDENTIALS_PROCESS
//   fromTokenFile (env vars)       CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN + CREDENTIALS_STS_ASSUME_ROLE_WEB_ID
//   fromHttp (container/Pod Id.)   CREDENTIALS_HTTP
//   fromInstanceMetadata           CREDENTIALS_IMDS, but only the credential-providers wrapper sets it:
//     credential-provider-node calls @smithy/credential-provider-imds directly (fromInstanceMetadata, and
//     fromContainerMetadata after fromHttp), and those leave `$source` empty.
// So an untagged result came from the chain's remote step, which picks container credentials when
// AWS_CONTAINER_CREDENTIALS_{FULL,RELATIVE}_URI is set and IMDS otherwise. GetCallerIdentity then
// names the identity: a node role via IMDS shows as assumed-role/<NodeInstanceRole>/i-<instance id>.
import type { AgentContext } from '../context.js';

export type ChainSource =
  | 'env'
  | 'shared-config'
  | 'process'
  | 'web-identity'
  | 'container'
  | 'imds'
  | 'unknown';

export function sourceOf(
  features: readonly string[],
  env: AgentContext['env'],
): { source: ChainSource; inferredFrom?: string } {
  const has = (f: string) => features.includes(f);
  if (features.some((f) => f.startsWith('CREDENTIALS_PROFILE') || f.startsWith('CREDENTIALS_SSO')))
    return { source: 'shared-config' };
  if (has('CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN') || has('CREDENTIALS_STS_ASSUME_ROLE_WEB_ID'))
    return { source: 'web-identity' };
  if (has('CREDENTIALS_ENV_VARS')) return { source: 'env' };
  if (has('CREDENTIALS_PROCESS')) return { source: 'process' };
  if (has('CREDENTIALS_HTTP')) return { source: 'container' };
  if (has('CREDENTIALS_IMDS')) return { source: 'imds' };
  if (features.length > 0) return { source: 'unknown' };
  if (env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)
    return {
      source: 'container',
      inferredFrom: 'untagged credentials from the remote step with container URI set',
    };
  return {
    source: 'imds',
    inferredFrom: 'untagged credentials from the remote step (no container URI): IMDS',
  };
}
