import { roleNameMatches } from '../../lib/assumed-role-arn.js';
import { redact } from '../../lib/redact.js';
import { fail, info, warn } from '../../report/finding.js';
import type { Finding, Mechanism } from '../../report/types.js';
import type { Check } from '../check.js';
import { detectMechanism } from '../context.js';
import { type ChainIdentity, chainCredentials } from '../facts/chain-credentials.js';
import type { ChainSource } from '../facts/chain-source.js';
import { describeStsError } from '../sts/classify-sts-error.js';

const SOURCE_TEXT: Record<ChainSource, string> = {
  env: 'static keys in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY',
  'shared-config': 'a profile in the shared config/credentials files',
  process: 'a credential_process',
  'web-identity': 'the web identity token file (IRSA)',
  container: 'container credentials (EKS Pod Identity agent)',
  imds: 'the EC2 instance metadata service (the node role)',
  unknown: 'an unrecognised provider',
};

const BLOCK_IMDS =
  'block IMDS for pods: aws ec2 modify-instance-metadata-options --instance-id INSTANCE --http-put-response-hop-limit 1 --http-tokens required (and in the node group launch template), or a NetworkPolicy denying egress to 169.254.169.254/32';

/** What the SDK's default chain gives an application in this pod, and as whom it then runs. */
export const chainCheck: Check = {
  id: 'chain',
  title: 'SDK default credential chain: which source wins, as whom',
  async run(ctx) {
    const r = await chainCredentials(ctx);
    if (!r.ok) {
      if (r.reason === 'no-credentials') {
        const mechanism = detectMechanism(ctx.env);
        return [
          fail(
            'CHAIN-NO-CREDENTIALS',
            'The SDK default credential chain finds no credentials ("Could not load credentials from any providers"); the application fails on its first AWS call.',
            noCredentialsFix(ctx.env, mechanism),
            { detail: r.detail, mechanism },
          ),
        ];
      }
      const cause = r.classification?.cause;
      const said = r.error ? redact(describeStsError(r.error)) : r.detail;
      const fsError = /^E(NOENT|ACCES|PERM|ISDIR|NOTDIR)$/.test(r.error?.errno ?? '');
      const see =
        r.reason === 'container-unreachable'
          ? 'the pod-identity check (PODID-UNREACHABLE)'
          : r.tokenFile
            ? `the token-file check (${r.tokenFile.envVar} names no usable token file)`
            : fsError
              ? 'the token-file check (the SDK could not read the token file)'
              : cause && cause !== 'STS-ERROR'
                ? `the sts check (${cause})`
                : 'the sts / pod-identity checks';
      return [
        fail(
          'CHAIN-FAILED',
          `The SDK default credential chain fails: ${r.reason === 'timeout' ? `no answer in time (${said})` : said}. The application cannot get credentials.`,
          `Fix the cause reported by ${see}; the application's SDK hits the same error.`,
          {
            reason: r.reason,
            ...(cause ? { cause } : {}),
            ...(r.tokenFile ? { tokenFile: r.tokenFile } : {}),
            detail: redact(r.detail),
          },
        ),
      ];
    }
    return judge(r, ctx.env);
  },
};

type Env = Readonly<Record<string, string | undefined>>;

/** Where to look when the chain ends empty: nothing configured, or a configured mechanism that failed. */
function noCredentialsFix(env: Env, mechanism: Mechanism): string {
  if (mechanism === 'none')
    return 'Give the pod an identity: annotate its ServiceAccount (kubectl annotate sa SERVICE_ACCOUNT -n NAMESPACE eks.amazonaws.com/role-arn=arn:aws:iam::ACCOUNT:role/NAME) or create an EKS Pod Identity association (aws eks create-pod-identity-association --cluster-name CLUSTER --namespace NAMESPACE --service-account SERVICE_ACCOUNT --role-arn ROLE_ARN), then restart the pod. The env check names what is missing.';
  const irsaFull = Boolean(env.AWS_ROLE_ARN && env.AWS_WEB_IDENTITY_TOKEN_FILE);
  const container = Boolean(
    env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI,
  );
  const fixes: string[] = [];
  if (container)
    fixes.push(
      'EKS Pod Identity is configured but the agent handed out no credentials: fix what the pod-identity check reports (PODID-BAD-REQUEST, PODID-ACCESS-DENIED, PODID-ERROR)',
    );
  if (irsaFull)
    fixes.push(
      'IRSA is configured but the web identity step gave no credentials: fix what the sts check reports',
    );
  if (!irsaFull && (env.AWS_ROLE_ARN || env.AWS_WEB_IDENTITY_TOKEN_FILE))
    fixes.push(
      'only half of IRSA is set, so the SDK skips it: fix what the env check reports (ENV-PARTIAL / ENV-NOT-INJECTED: remove the hand-set variable and let the webhook inject both)',
    );
  if (fixes.length === 0) fixes.push('fix what the env, sts and pod-identity checks report');
  return `${fixes.join('; ')}. The application's SDK hits the same empty chain.`;
}

function judge(r: ChainIdentity, env: Env): Finding[] {
  const roleArn = env.AWS_ROLE_ARN?.trim();
  const mechanism = detectMechanism(env);
  const as = r.callerArn ?? 'an identity GetCallerIdentity could not confirm';
  const details = {
    source: r.source,
    callerArn: r.callerArn,
    account: r.account,
    isNodeRole: r.isNodeRole,
    sdkFeatures: r.evidence.sdkFeatures,
    ...(r.evidence.inferredFrom ? { inferredFrom: r.evidence.inferredFrom } : {}),
    expiration: r.credentials.expiration?.toISOString(),
  };
  const out: Finding[] = [
    info('CHAIN-SOURCE', `The SDK default chain uses ${SOURCE_TEXT[r.source]} and runs as ${as}.`, details),
  ];
  if (r.isNodeRole) {
    out.push(
      fail(
        'CHAIN-IMDS-FALLBACK',
        `An application in this pod would run as the node role ${as} via IMDS, not as ${roleArn ?? 'an IRSA / Pod Identity role'}.`,
        `Fix the IRSA cause first (the env check: ServiceAccount annotation eks.amazonaws.com/role-arn, webhook injection, restart the pod), AND ${BLOCK_IMDS}, so a broken IRSA setup fails loudly instead of silently using node credentials.`,
        details,
      ),
    );
  } else if (roleArn && mechanism !== 'pod-identity') {
    const wrongSource = r.source !== 'web-identity';
    const wrongRole = r.callerArn !== undefined && !roleNameMatches(roleArn, r.callerArn);
    if (!wrongSource && wrongRole)
      out.push(
        fail(
          'CHAIN-OTHER-IDENTITY',
          `The SDK default chain uses the web identity token, yet its credentials act as ${as}, not as ${roleArn} from AWS_ROLE_ARN.`,
          'STS answered the web identity exchange for another identity: see the identity check (IDENTITY-MISMATCH); unset or correct AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL and any HTTPS proxy in front of STS, and make the ServiceAccount annotation eks.amazonaws.com/role-arn name the role the application needs, then restart the pod.',
          { ...details, expectedRoleArn: roleArn },
        ),
      );
    else if (wrongSource || wrongRole)
      out.push(
        fail(
          'CHAIN-OTHER-IDENTITY',
          `The SDK default chain picks ${SOURCE_TEXT[r.source]} and runs as ${as}, not as ${roleArn} from AWS_ROLE_ARN.`,
          `Remove the source that shadows the web identity token (the env check's CHAIN-SHADOWED finding names it): unset AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_PROFILE in the pod spec and envFrom Secrets (kubectl set env deployment/NAME -n NAMESPACE AWS_ACCESS_KEY_ID- AWS_SECRET_ACCESS_KEY- AWS_PROFILE-), remove ~/.aws files baked into the image, then restart the pod.`,
          { ...details, expectedRoleArn: roleArn },
        ),
      );
  } else if (mechanism === 'pod-identity' && r.source !== 'container') {
    out.push(
      fail(
        'CHAIN-OTHER-IDENTITY',
        `The SDK default chain picks ${SOURCE_TEXT[r.source]} and runs as ${as}, not as the EKS Pod Identity role.`,
        "Remove the source that shadows container credentials (the env check's CHAIN-SHADOWED finding names it): unset AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_PROFILE in the pod spec, remove ~/.aws files baked into the image, then restart the pod.",
        details,
      ),
    );
  }
  if (!r.callerArn && r.identityError)
    out.push(
      warn(
        'CHAIN-UNVERIFIED',
        `The chain's credentials could not be confirmed: GetCallerIdentity failed (${redact(describeStsError(r.identityError))}).`,
        'Allow egress from the pod to the STS endpoint (NetworkPolicy, security group, NO_PROXY) and check the node clock (NTP); the sts check has the details.',
        details,
      ),
    );
  return out;
}
