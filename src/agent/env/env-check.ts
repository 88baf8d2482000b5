import { finding } from '../../report/finding.js';
import type { Finding, Mechanism } from '../../report/types.js';
import type { Check } from '../check.js';
import { podFacts } from '../token/pod-facts.js';
import { configFileFindings } from './config-file-finding.js';
import { IRSA_VARS, injectedVars, mechanismOf, POD_IDENTITY_VARS } from './mechanism.js';
import { region, regionFindings } from './region.js';
import { describeShadow, shadowedFinding } from './shadowed-finding.js';
import { sharedConfig } from './shared-config.js';

/** Which mechanism the pod is set up for, whether anything shadows it, and the region. */
export const envCheck: Check = {
  id: 'env',
  title: 'Credentials environment (IRSA / Pod Identity) and what shadows it',
  sdkFree: true,
  async run(ctx) {
    const env = ctx.env;
    const v = injectedVars(env);
    const mechanism = mechanismOf(env);
    const [shared, pod, where] = await Promise.all([sharedConfig(ctx), podFacts(ctx), region(ctx)]);
    const fix = { namespace: pod.namespace, serviceAccount: pod.serviceAccount, pod: pod.pod };

    const findings: Finding[] = [];
    const present = [
      ...v.irsa,
      ...v.podIdentity,
      ...['AWS_STS_REGIONAL_ENDPOINTS', 'AWS_REGION', 'AWS_DEFAULT_REGION'].filter((k) => env[k]),
    ];
    if (!v.irsaFull && !v.podIdentityFull) {
      // Half a pair means the webhook skipped this container (it sets the other variable itself):
      // nothing was injected, so say so too, with that cause first.
      const halves = [
        ...(v.irsa.length === 1 ? [half('irsa', v.irsa[0]!, missing(IRSA_VARS, v.irsa))] : []),
        ...(v.podIdentity.length === 1
          ? [half('pod-identity', v.podIdentity[0]!, missing(POD_IDENTITY_VARS, v.podIdentity))]
          : []),
      ];
      const message =
        halves.length === 0
          ? 'Neither IRSA (AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE) nor EKS Pod Identity (AWS_CONTAINER_CREDENTIALS_FULL_URI, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) variables are set in this container.'
          : `Neither IRSA nor EKS Pod Identity is injected into this container: only ${halves.map((h) => `${h.present} is set (${h.missing} is not)`).join(' and ')}, the sign of a container that sets it itself, which the webhook then skips.`;
      const irsaHalf = halves.find((h) => h.mechanism === 'irsa');
      const podIdHalf = halves.find((h) => h.mechanism === 'pod-identity');
      findings.push(
        finding('ENV-NOT-INJECTED', message, {
          variant: [
            ...(irsaHalf ? ['irsaHalf' as const] : []),
            ...(podIdHalf ? ['podIdentityHalf' as const] : []),
            'annotation',
            'createdBefore',
            'otherServiceAccount',
            'webhook',
            'skipped',
            'podIdentity',
          ],
          fix: { ...fix, irsaVar: irsaHalf?.present, podIdentityVar: podIdHalf?.present },
          details: {
            ...(halves.length ? { partial: halves } : {}),
            podNamespace: pod.namespace,
            podServiceAccount: pod.serviceAccount,
            otherCredentialSources: shared.shadows.map(describeShadow),
          },
        }),
      );
    }
    if (v.irsa.length === 1)
      findings.push(partial('irsa', v.irsa[0]!, missing(IRSA_VARS, v.irsa), v.podIdentityFull, fix));
    if (v.podIdentity.length === 1)
      findings.push(
        partial(
          'pod-identity',
          v.podIdentity[0]!,
          missing(POD_IDENTITY_VARS, v.podIdentity),
          v.irsaFull,
          fix,
        ),
      );
    if (v.irsaFull || v.podIdentityFull) {
      findings.push(
        finding('ENV-INJECTED', `${mechanismLabel(mechanism)} environment is injected.`, {
          details: {
            mechanism,
            present,
            roleArn: env.AWS_ROLE_ARN,
            tokenFile: env.AWS_WEB_IDENTITY_TOKEN_FILE,
            podIdentityTokenFile: env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE,
            podIdentityUri: env.AWS_CONTAINER_CREDENTIALS_FULL_URI,
            stsRegionalEndpoints: env.AWS_STS_REGIONAL_ENDPOINTS,
            region: where.value,
            regionSource: where.source,
          },
        }),
      );
    }
    if (v.irsaFull && v.podIdentityFull) {
      findings.push(
        finding(
          'ENV-BOTH-MECHANISMS',
          'Both IRSA and Pod Identity variables are set. The SDK default chains try the web identity token file before container credentials, so the pod runs as AWS_ROLE_ARN (IRSA) and the Pod Identity association is not used.',
          { details: { wins: 'irsa', roleArn: env.AWS_ROLE_ARN } },
        ),
      );
    }
    if (mechanism !== 'none' && shared.shadows.length > 0)
      findings.push(shadowedFinding(shared, mechanism, fix));
    findings.push(...configFileFindings(shared, fix));
    findings.push(...regionFindings(where, env, fix));
    return findings;
  },
};

function missing(all: readonly string[], have: readonly string[]): string {
  return all.find((v) => !have.includes(v))!;
}

function mechanismLabel(m: Mechanism): string {
  return m === 'both' ? 'IRSA and Pod Identity' : m === 'pod-identity' ? 'EKS Pod Identity' : 'IRSA';
}

interface Half {
  mechanism: 'irsa' | 'pod-identity';
  present: string;
  missing: string;
}

function half(mechanism: Half['mechanism'], present: string, lacks: string): Half {
  return { mechanism, present, missing: lacks };
}

function partial(
  mechanism: Half['mechanism'],
  have: string,
  lacks: string,
  otherWorks: boolean,
  fix: { namespace?: string; serviceAccount?: string },
): Finding {
  const label = mechanism === 'irsa' ? 'IRSA' : 'Pod Identity';
  return finding(
    'ENV-PARTIAL',
    `${have} is set but ${lacks} is not, so the SDK skips ${label}${otherWorks ? ' and uses the other mechanism' : ''}.`,
    {
      status: otherWorks ? 'warn' : 'fail',
      variant: mechanism === 'irsa' ? 'irsa' : 'podIdentity',
      fix: { ...fix, present: have },
      details: { mechanism, present: have, missing: lacks },
    },
  );
}
