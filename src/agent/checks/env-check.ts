import { fail, info, pass, warn } from '../../report/finding.js';
import type { Finding, Mechanism } from '../../report/types.js';
import type { Check } from '../check.js';
import { regionFindings, resolveRegion } from '../env/region-findings.js';
import { describeShadow, shadowedFinding } from '../env/shadowed-finding.js';
import { loadSharedConfig } from '../facts/shared-config.js';
import { loadPodServiceAccount } from '../facts/token.js';

const IRSA_VARS = ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE'] as const;
const POD_IDENTITY_VARS = [
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
] as const;

/** Which mechanism the pod is set up for, whether anything shadows it, and the region. */
export const envCheck: Check = {
  id: 'env',
  title: 'Credentials environment (IRSA / Pod Identity) and what shadows it',
  async run(ctx) {
    const env = ctx.env;
    const set = (k: string) => env[k] !== undefined && env[k] !== '';
    const irsa = IRSA_VARS.filter(set);
    const podId = POD_IDENTITY_VARS.filter(set);
    const irsaFull = irsa.length === IRSA_VARS.length;
    const podIdFull = podId.length === POD_IDENTITY_VARS.length;
    const mechanism: Mechanism =
      irsaFull && podIdFull
        ? 'both'
        : irsaFull
          ? 'irsa'
          : podIdFull
            ? 'pod-identity'
            : irsa.length
              ? 'irsa'
              : 'none';
    const [shared, podSa] = await Promise.all([loadSharedConfig(ctx), loadPodServiceAccount(ctx)]);
    const region = resolveRegion(ctx, shared);
    ctx.facts.mechanism = mechanism;
    if (env.AWS_ROLE_ARN) ctx.facts.roleArn = env.AWS_ROLE_ARN.trim();
    if (region.value) ctx.facts.region = region.value;
    // The pod's own ServiceAccount mount names the pod's identity even when nothing was injected;
    // a token the token-claims check reads later may still refine it.
    if (podSa.namespace) ctx.facts.namespace ??= podSa.namespace;
    if (podSa.serviceAccount) ctx.facts.serviceAccount ??= podSa.serviceAccount;
    const ns = podSa.namespace ?? 'NAMESPACE';
    const sa = podSa.serviceAccount ?? 'SERVICE_ACCOUNT';

    const findings: Finding[] = [];
    const present = [
      ...irsa,
      ...podId,
      ...['AWS_STS_REGIONAL_ENDPOINTS', 'AWS_REGION', 'AWS_DEFAULT_REGION'].filter(set),
    ];
    if (!irsaFull && !podIdFull) {
      // Half a pair means the webhook skipped this container (it sets the other variable itself):
      // nothing was injected, so say so too, with that cause first.
      const halves = [
        ...(irsa.length === 1 ? [half('irsa', irsa[0]!, missing(IRSA_VARS, irsa))] : []),
        ...(podId.length === 1 ? [half('pod-identity', podId[0]!, missing(POD_IDENTITY_VARS, podId))] : []),
      ];
      const message =
        halves.length === 0
          ? 'Neither IRSA (AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE) nor EKS Pod Identity (AWS_CONTAINER_CREDENTIALS_FULL_URI, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) variables are set in this container.'
          : `Neither IRSA nor EKS Pod Identity is injected into this container: only ${halves.map((h) => `${h.present} is set (${h.missing} is not)`).join(' and ')}, the sign of a container that sets it itself, which the webhook then skips.`;
      findings.push(
        fail('ENV-NOT-INJECTED', message, notInjectedRemediation(ns, sa, halves), {
          ...(halves.length ? { partial: halves } : {}),
          podNamespace: podSa.namespace,
          podServiceAccount: podSa.serviceAccount,
          otherCredentialSources: shared.shadows.map(describeShadow),
        }),
      );
    }
    if (irsa.length === 1)
      findings.push(partial('IRSA', irsa[0]!, missing(IRSA_VARS, irsa), podIdFull, ns, sa));
    if (podId.length === 1)
      findings.push(partial('Pod Identity', podId[0]!, missing(POD_IDENTITY_VARS, podId), irsaFull, ns, sa));
    if (irsaFull || podIdFull) {
      findings.push(
        pass('ENV-INJECTED', `${mechanismLabel(mechanism)} environment is injected.`, {
          mechanism,
          present,
          roleArn: env.AWS_ROLE_ARN,
          tokenFile: env.AWS_WEB_IDENTITY_TOKEN_FILE,
          podIdentityTokenFile: env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE,
          podIdentityUri: env.AWS_CONTAINER_CREDENTIALS_FULL_URI,
          stsRegionalEndpoints: env.AWS_STS_REGIONAL_ENDPOINTS,
          region: region.value,
          regionSource: region.source,
        }),
      );
    }
    if (irsaFull && podIdFull) {
      findings.push(
        info(
          'ENV-BOTH-MECHANISMS',
          'Both IRSA and Pod Identity variables are set. The SDK default chains try the web identity token file before container credentials, so the pod runs as AWS_ROLE_ARN (IRSA) and the Pod Identity association is not used.',
          { wins: 'irsa', roleArn: env.AWS_ROLE_ARN },
        ),
      );
    }
    if (mechanism !== 'none' && shared.shadows.length > 0)
      findings.push(shadowedFinding(shared, mechanism, ns));
    findings.push(...regionFindings(region, env));
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

function notInjectedRemediation(ns: string, sa: string, halves: readonly Half[] = []): string {
  const first = halves.map((h) =>
    h.mechanism === 'irsa'
      ? `the container sets ${h.present} itself (in its env or an envFrom Secret/ConfigMap), and the webhook injects nothing into a container that already sets AWS_ROLE_ARN or AWS_WEB_IDENTITY_TOKEN_FILE: remove it (kubectl set env deployment/NAME -n ${ns} ${h.present}-), make sure ServiceAccount ${sa} carries eks.amazonaws.com/role-arn, and restart the pods (kubectl rollout restart deployment/NAME -n ${ns});`
      : `the container sets ${h.present} itself: remove it (kubectl set env deployment/NAME -n ${ns} ${h.present}-) and let the EKS Pod Identity webhook inject both variables, then restart the pods;`,
  );
  const rest = [
    `the ServiceAccount lacks the annotation or it is misspelt: kubectl get sa ${sa} -n ${ns} -o jsonpath='{.metadata.annotations}' must show eks.amazonaws.com/role-arn; fix: kubectl annotate sa ${sa} -n ${ns} eks.amazonaws.com/role-arn=arn:aws:iam::ACCOUNT:role/NAME --overwrite;`,
    `the pod was created before the annotation (the webhook mutates only on CREATE): kubectl rollout restart deployment/NAME -n ${ns};`,
    `the pod runs under another ServiceAccount: kubectl get pod POD -n ${ns} -o jsonpath='{.spec.serviceAccountName}';`,
    'the webhook is missing or broken (failurePolicy Ignore lets pods start unmutated): kubectl get mutatingwebhookconfiguration pod-identity-webhook -o yaml must exist with a valid caBundle;',
    'the pod is skipped by the label eks.amazonaws.com/skip-pod-identity-webhook, or this container is listed in the pod annotation eks.amazonaws.com/skip-containers: remove them;',
    `for EKS Pod Identity instead: aws eks list-pod-identity-associations --cluster-name CLUSTER --namespace ${ns} --service-account ${sa} must list one and the eks-pod-identity-agent add-on must run; then restart the pod.`,
  ];
  return [
    'Find which applies, most likely first:',
    ...[...first, ...rest].map((cause, i) => `(${i + 1}) ${cause}`),
  ].join(' ');
}

function partial(
  label: string,
  have: string,
  lacks: string,
  otherWorks: boolean,
  ns: string,
  sa: string,
): Finding {
  const message = `${have} is set but ${lacks} is not, so the SDK skips ${label}${otherWorks ? ' and uses the other mechanism' : ''}.`;
  const remediation =
    label === 'IRSA'
      ? `The webhook injects nothing into a container that already sets AWS_ROLE_ARN or AWS_WEB_IDENTITY_TOKEN_FILE. Remove ${have} from the container spec (kubectl set env deployment/NAME -n ${ns} ${have}-), make sure ServiceAccount ${sa} carries eks.amazonaws.com/role-arn, and restart the pods (kubectl rollout restart deployment/NAME -n ${ns}).`
      : `Remove ${have} from the container spec (kubectl set env deployment/NAME -n ${ns} ${have}-) and let the EKS Pod Identity webhook inject both variables: create the association (aws eks create-pod-identity-association --cluster-name CLUSTER --namespace ${ns} --service-account ${sa} --role-arn ROLE_ARN) and restart the pods.`;
  const details = { mechanism: label === 'IRSA' ? 'irsa' : 'pod-identity', present: have, missing: lacks };
  return otherWorks
    ? warn('ENV-PARTIAL', message, remediation, details)
    : fail('ENV-PARTIAL', message, remediation, details);
}
