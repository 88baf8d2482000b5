import {
  DEFAULT_AUDIENCE,
  issuerHostOf,
  oidcProviderArn,
  renderTrustPolicy,
} from '../../aws/trust-policy.js';
import { parseRoleArn, suggestedRoleArn } from '../../lib/arn.js';
import type { ProxyRoute } from '../../lib/proxy/proxy-route.js';
import { redact } from '../../lib/redact.js';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import { pathNote } from '../net/path-findings.js';
import type { PodFacts } from '../token/pod-facts.js';
import {
  describeStsError,
  NETWORK_FAILURE_TEXT,
  type StsClassification,
  type StsErrorFacts,
} from './classify-sts-error.js';
import type { StsCall } from './web-identity.js';

/** What an STS refusal is explained from: the call, the token's claims and what STS said. */
export interface StsFailure {
  env: Readonly<Record<string, string | undefined>>;
  call: StsCall;
  /** The audience STS matches this token by: what the printed fixes must name. */
  tokenAudience: string;
  error: StsErrorFacts;
  classification: StsClassification;
  issuer?: string;
  subject?: string;
  audience?: string[];
  elapsedMs: number;
  pod: PodFacts;
  /** The way the call went (through a proxy or direct), for messages where it matters. */
  route?: ProxyRoute;
}

function roleParts(roleArn: string): { partition: string; account: string; name: string } {
  const p = parseRoleArn(roleArn);
  if (p.ok) return p.arn;
  const guess = parseRoleArn(suggestedRoleArn(roleArn));
  if (guess.ok) return guess.arn;
  return { partition: 'aws', account: 'ACCOUNT_ID', name: 'ROLE_NAME' };
}

/** The finding for an AssumeRoleWithWebIdentity refusal, by its classified cause, with the fix's real values. */
export function explainStsFailure(c: StsFailure, details: Record<string, unknown>): Finding {
  const said = redact(describeStsError(c.error));
  const role = roleParts(c.call.roleArn);
  const iss = c.issuer ?? 'ISSUER';
  const host = issuerHostOf(iss);
  const providerArn = oidcProviderArn(role.partition, role.account, iss);
  const who = { namespace: c.pod.namespace, serviceAccount: c.pod.serviceAccount, pod: c.pod.pod };
  switch (c.classification.cause) {
    case 'STS-NO-OIDC-PROVIDER':
      if (!/^https:\/\//i.test(iss))
        return finding(
          'STS-NO-OIDC-PROVIDER',
          `STS found no IAM OIDC provider for issuer ${iss} in account ${role.account}: the token's issuer is not an https URL, and IAM OIDC providers exist only for https issuers (${said}).`,
          { variant: 'httpIssuer', fix: { issuerHost: host, audience: c.tokenAudience }, details },
        );
      return finding(
        'STS-NO-OIDC-PROVIDER',
        `STS found no IAM OIDC provider for issuer ${iss} in account ${role.account} (${said}).`,
        {
          variant: /\/$/.test(iss.trim()) ? ['trailingSlash', 'missing'] : 'missing',
          fix: {
            issuer: iss,
            account: role.account,
            audience: c.tokenAudience,
            issuerId: host.split('/').pop(),
            providerArn,
            endpoint: c.call.endpoint,
            region: c.call.region,
            regionSource: c.call.regionSource,
            partition: role.partition,
          },
          details,
        },
      );
    case 'STS-AUDIENCE':
      return finding(
        'STS-AUDIENCE',
        `STS says the token audience ${JSON.stringify(c.audience ?? [])} is not in the ClientIDList of provider ${providerArn} (${said}).`,
        {
          variant: c.tokenAudience === DEFAULT_AUDIENCE ? 'addClientId' : ['addClientId', 'customAudience'],
          fix: { providerArn, audience: c.tokenAudience },
          details,
        },
      );
    case 'STS-THUMBPRINT':
      return finding(
        'STS-THUMBPRINT',
        `STS says the HTTPS certificate of ${iss} does not match the thumbprint configured on ${providerArn} (${said}).`,
        { fix: { providerArn, sni: sniOf(host), connect: connectOf(host) }, details },
      );
    case 'STS-JWKS-UNREACHABLE':
      return finding(
        'STS-JWKS-UNREACHABLE',
        c.classification.jwks === 'key-not-found'
          ? `STS could not find a verification key for this token at ${iss} (${said}).`
          : `STS could not fetch the signing keys from ${iss} (${said}).`,
        { fix: { issuer: iss }, details },
      );
    case 'STS-TRUST-POLICY':
      return finding(
        'STS-TRUST-POLICY',
        `STS refused to let ${c.subject ?? 'this token'} assume ${c.call.roleArn}: the role trust policy does not admit it (${said}).`,
        {
          fix: {
            roleName: role.name,
            subject: c.subject,
            providerArn,
            trustPolicy: renderTrustPolicy({
              partition: role.partition,
              account: role.account,
              issuer: iss,
              subject: c.subject,
              audience: c.tokenAudience,
            }),
          },
          details,
        },
      );
    case 'STS-INVALID-ARN':
      return finding(
        'STS-INVALID-ARN',
        `STS rejected the role ARN ${JSON.stringify(c.call.roleArn)} (${said}).`,
        {
          fix: { ...who, suggestion: suggestedRoleArn(c.call.roleArn) },
          details,
        },
      );
    case 'STS-TOKEN-EXPIRED':
      return finding('STS-TOKEN-EXPIRED', `STS says the web identity token has expired (${said}).`, {
        fix: who,
        details,
      });
    case 'STS-REGION-DISABLED':
      return finding(
        'STS-REGION-DISABLED',
        `STS is not activated in region ${c.call.region} for account ${role.account} (${said}).`,
        { fix: { region: c.call.region }, details },
      );
    case 'STS-INVALID-TOKEN':
      return finding('STS-INVALID-TOKEN', `STS rejected the token itself (${said}).`, {
        fix: { issuer: iss },
        details,
      });
    case 'STS-IDP-REJECTED':
      return finding('STS-IDP-REJECTED', `The identity provider rejected the token's claims (${said}).`, {
        fix: { providerArn },
        details,
      });
    case 'STS-UNREACHABLE':
      return unreachable(c, said, details);
    default:
      return finding(
        'STS-ERROR',
        `STS refused AssumeRoleWithWebIdentity with an error this tool has no diagnosis for: ${said}.`,
        { fix: { said, roleArn: c.call.roleArn, region: c.call.region }, details },
      );
  }
}

/** STS did not answer as STS: where to look, by what the network said. */
function unreachable(c: StsFailure, said: string, details: Record<string, unknown>): Finding {
  const { host, port } = hostPortOf(c.call.endpoint);
  const redirected = c.call.endpointSource !== 'regional default';
  const fix = {
    host,
    port,
    region: c.call.region,
    endpoint: c.call.endpoint,
    endpointSource: c.call.endpointSource,
    namespace: c.pod.namespace,
    proxyVar: ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].find((k) => c.env[k]),
  };
  const network = c.classification.network ?? 'other';
  const note = c.route ? pathNote(c.route) : '';
  if (network === 'bad-gateway')
    return finding(
      'STS-UNREACHABLE',
      `${c.error.httpStatus ? `HTTP ${c.error.httpStatus}` : 'An answer'} from ${c.call.endpoint}${note}, not an STS answer (a proxy or gateway in the way?)${c.error.message === 'Unknown' ? '' : `: ${redact(c.error.message).replace(/\.+$/, '')}`}.`,
      {
        variant: [
          'badGateway',
          fix.proxyVar ? 'proxyInPod' : 'proxyElsewhere',
          redirected ? 'endpointIsNotSts' : 'regionalEndpoint',
          'confirmWithCurl',
        ],
        fix,
        details,
      },
    );
  if (network === 'not-http')
    return finding(
      'STS-UNREACHABLE',
      `${c.call.endpoint}${note} answered, but not in HTTP: ${NETWORK_FAILURE_TEXT[network]} (${said}). STS itself was never heard from.`,
      {
        variant: ['notHttp', redirected ? 'endpointIsNotSts' : 'regionalEndpoint'],
        fix,
        details,
      },
    );
  const main = network === 'dns' || network === 'refused' || network === 'tls' ? network : 'other';
  return finding(
    'STS-UNREACHABLE',
    `STS at ${c.call.endpoint} did not answer${note}: ${NETWORK_FAILURE_TEXT[network]}${network === 'timeout' ? `, waited ${c.elapsedMs} ms` : ''} (${said}).`,
    { variant: redirected ? [main, 'redirected'] : main, fix, details },
  );
}

function hostPortOf(endpoint: string): { host: string; port: string } {
  try {
    const u = new URL(endpoint);
    return { host: u.hostname, port: u.port || (u.protocol === 'http:' ? '80' : '443') };
  } catch {
    return { host: endpoint, port: '443' };
  }
}

function sniOf(issuerHost: string): string {
  return (issuerHost.split('/')[0] ?? issuerHost).replace(/:\d+$/, '');
}

function connectOf(issuerHost: string): string {
  const authority = issuerHost.split('/')[0] ?? issuerHost;
  return /:\d+$/.test(authority) ? authority : `${authority}:443`;
}
