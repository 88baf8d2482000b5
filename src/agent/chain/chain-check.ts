import { roleNameMatches } from '../../lib/assumed-role-arn.js';
import { directRoute, type ProxyRoute, proxyRoute } from '../../lib/proxy/proxy-route.js';
import type { ProxyFailure } from '../../lib/proxy/proxy-router.js';
import { redact } from '../../lib/redact.js';
import { finding } from '../../report/finding.js';
import type { Finding, Mechanism } from '../../report/types.js';
import { stsEndpointOf } from '../aws/sdk-options.js';
import type { Check } from '../check.js';
import type { AgentContext } from '../context.js';
import { mechanismOf } from '../env/mechanism.js';
import { imdsEndpoint } from '../imds/imds-check.js';
import { withPath } from '../net/path-findings.js';
import { describeStsError } from '../sts/classify-sts-error.js';
import { stsRegion } from '../sts/web-identity.js';
import { type PodFacts, podFacts } from '../token/pod-facts.js';
import { type ChainIdentity, chainCredentials } from './chain-credentials.js';
import type { ChainSource } from './chain-source.js';

const SOURCE_TEXT: Record<ChainSource, string> = {
  env: 'static keys in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY',
  'shared-config': 'a profile in the shared config/credentials files',
  process: 'a credential_process',
  'web-identity': 'the web identity token file (IRSA)',
  container: 'container credentials (EKS Pod Identity agent)',
  imds: 'the EC2 instance metadata service (the node role)',
  unknown: 'an unrecognised provider',
};

const PROXY_CODE = {
  unreachable: 'PROXY-UNREACHABLE',
  auth: 'PROXY-AUTH',
  refused: 'PROXY-REFUSED',
} as const satisfies Record<ProxyFailure['kind'], string>;

/** What the SDK's default chain gives an application in this pod, and as whom it then runs. */
export const chainCheck: Check = {
  id: 'chain',
  title: 'SDK default credential chain: which source wins, as whom',
  async run(ctx) {
    return withPath(await judgeChain(ctx), await chainRoute(ctx));
  },
};

/**
 * The way the chain's own request goes: to STS for web identity, to the container endpoint for EKS
 * Pod Identity, to IMDS (never proxied) otherwise; the same rules as the requests themselves.
 */
async function chainRoute(ctx: AgentContext): Promise<ProxyRoute> {
  const env = ctx.env;
  try {
    if (env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN)
      return proxyRoute(env, stsEndpointOf(ctx, (await stsRegion(ctx)).region).url);
    if (env.AWS_CONTAINER_CREDENTIALS_FULL_URI)
      return proxyRoute(env, env.AWS_CONTAINER_CREDENTIALS_FULL_URI);
  } catch {
    // An endpoint setting that is no URL: the sts and pod-identity checks name it.
  }
  return directRoute(env, 'metadata', imdsEndpoint(env).replace(/^https?:\/\//, ''));
}

/** The chain's findings, before the path is added. */
async function judgeChain(ctx: AgentContext): Promise<Finding[]> {
  const [r, pod] = await Promise.all([chainCredentials(ctx), podFacts(ctx)]);
  if (!r.ok) {
    if (r.reason === 'no-credentials') {
      const mechanism = mechanismOf(ctx.env);
      return [
        finding(
          'CHAIN-NO-CREDENTIALS',
          'The SDK default chain finds no credentials ("Could not load credentials from any providers"); the application fails on its first AWS call.',
          {
            variant: noCredentialsVariants(ctx.env, mechanism),
            fix: { namespace: pod.namespace, serviceAccount: pod.serviceAccount },
            details: { detail: r.detail, mechanism },
          },
        ),
      ];
    }
    // A failure at the proxy is what the sts check reports (PROXY-*), not the STS-UNREACHABLE it looks like.
    const cause = r.proxyFailure ? PROXY_CODE[r.proxyFailure.kind] : r.classification?.cause;
    const said = r.error ? redact(describeStsError(r.error)) : r.detail;
    const fsError = /^E(NOENT|ACCES|PERM|ISDIR|NOTDIR)$/.test(r.error?.errno ?? '');
    const variant =
      r.reason === 'container-unreachable'
        ? 'podIdentityUnreachable'
        : r.tokenFile
          ? 'tokenFileNamed'
          : fsError
            ? 'tokenFileUnreadable'
            : cause && cause !== 'STS-ERROR'
              ? 'sts'
              : 'other';
    return [
      finding(
        'CHAIN-FAILED',
        `The SDK default chain fails: ${r.reason === 'timeout' ? `no answer in time (${said})` : said}. The application cannot get credentials.`,
        {
          variant,
          fix: { envVar: r.tokenFile?.envVar, cause },
          details: {
            reason: r.reason,
            ...(cause ? { cause } : {}),
            ...(r.tokenFile ? { tokenFile: r.tokenFile } : {}),
            detail: redact(r.detail),
          },
        },
      ),
    ];
  }
  return judge(r, ctx.env, pod);
}

type Env = Readonly<Record<string, string | undefined>>;

/** Where to look when the chain ends empty: nothing configured, or a configured mechanism that failed. */
function noCredentialsVariants(env: Env, mechanism: Mechanism) {
  type V = 'nothingConfigured' | 'podIdentity' | 'irsa' | 'halfIrsa' | 'other' | 'sameChain';
  if (mechanism === 'none') return ['nothingConfigured'] satisfies V[];
  const irsaFull = Boolean(env.AWS_ROLE_ARN && env.AWS_WEB_IDENTITY_TOKEN_FILE);
  const container = Boolean(
    env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI,
  );
  const out: V[] = [];
  if (container) out.push('podIdentity');
  if (irsaFull) out.push('irsa');
  if (!irsaFull && (env.AWS_ROLE_ARN || env.AWS_WEB_IDENTITY_TOKEN_FILE)) out.push('halfIrsa');
  if (out.length === 0) out.push('other');
  out.push('sameChain');
  return out;
}

function judge(r: ChainIdentity, env: Env, pod: PodFacts): Finding[] {
  const roleArn = env.AWS_ROLE_ARN?.trim();
  const mechanism = mechanismOf(env);
  const details = {
    source: r.source,
    callerArn: r.callerArn,
    account: r.account,
    isNodeRole: r.isNodeRole,
    sdkFeatures: r.evidence.sdkFeatures,
    ...(r.evidence.inferredFrom ? { inferredFrom: r.evidence.inferredFrom } : {}),
    expiration: r.credentials.expiration?.toISOString(),
  };
  const runsAs = r.callerArn
    ? `runs as ${r.callerArn}`
    : 'runs as an identity that could not be confirmed (GetCallerIdentity failed)';
  const out: Finding[] = [
    finding('CHAIN-SOURCE', `The SDK default chain uses ${SOURCE_TEXT[r.source]} and ${runsAs}.`, {
      details,
    }),
  ];
  const as = r.callerArn ?? 'an identity GetCallerIdentity could not confirm';
  if (r.isNodeRole) {
    out.push(
      finding(
        'CHAIN-IMDS-FALLBACK',
        `An application in this pod would run as the node role${r.callerArn ? ` ${r.callerArn}` : ' (GetCallerIdentity could not confirm which)'} via IMDS, not as ${roleArn ?? 'an IRSA / Pod Identity role'}.`,
        { fix: { instance: instanceOf(r.callerArn) }, details },
      ),
    );
  } else if (roleArn && mechanism !== 'pod-identity') {
    const wrongSource = r.source !== 'web-identity';
    const wrongRole = r.callerArn !== undefined && !roleNameMatches(roleArn, r.callerArn);
    if (!wrongSource && wrongRole)
      out.push(
        finding(
          'CHAIN-OTHER-IDENTITY',
          `The SDK default chain uses the web identity token, yet its credentials act as ${as}, not as ${roleArn} from AWS_ROLE_ARN.`,
          { variant: 'stsAnsweredOther', details: { ...details, expectedRoleArn: roleArn } },
        ),
      );
    else if (wrongSource || wrongRole)
      out.push(
        finding(
          'CHAIN-OTHER-IDENTITY',
          `The SDK default chain picks ${SOURCE_TEXT[r.source]} and runs as ${as}, not as ${roleArn} from AWS_ROLE_ARN.`,
          {
            variant: 'shadowsIrsa',
            fix: { namespace: pod.namespace },
            details: { ...details, expectedRoleArn: roleArn },
          },
        ),
      );
  } else if (mechanism === 'pod-identity' && r.source !== 'container') {
    out.push(
      finding(
        'CHAIN-OTHER-IDENTITY',
        `The SDK default chain picks ${SOURCE_TEXT[r.source]} and runs as ${as}, not as the EKS Pod Identity role.`,
        { variant: 'shadowsPodIdentity', details },
      ),
    );
  }
  if (!r.callerArn && r.identityError)
    out.push(
      finding(
        'CHAIN-UNVERIFIED',
        `The chain's credentials could not be confirmed: GetCallerIdentity failed (${redact(describeStsError(r.identityError))}).`,
        { details },
      ),
    );
  return out;
}

/** The instance id a node role session names (assumed-role/NodeRole/i-0abc...), for the IMDS fix. */
function instanceOf(callerArn: string | undefined): string | undefined {
  return /\/(i-[0-9a-f]{8,17})$/.exec(callerArn ?? '')?.[1];
}
