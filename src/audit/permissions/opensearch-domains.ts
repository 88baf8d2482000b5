// The OpenSearch Service domains of the region with the settings the audit judges (endpoints, access
// policy, fine-grained access control), listed and described once per audit.
import type { DomainStatus } from '@aws-sdk/client-opensearch';
import { sweepFact } from '../audit-context.js';
import type { AwsResult } from '../aws/aws-result.js';
import { normaliseHost } from './normalise-host.js';

export interface OpenSearchDomain {
  name: string;
  /** arn:PARTITION:es:REGION:ACCOUNT:domain/NAME */
  arn: string;
  account: string;
  /** every host the domain answers on: public, VPC, dual-stack and custom endpoints */
  hosts: string[];
  /** the access policy as the service returns it: JSON text, empty when none */
  accessPolicies: string;
  fgac: { enabled: boolean; internalUserDatabase: boolean; anonymousAuth: boolean };
  deleted: boolean;
}

/** DescribeDomains takes at most five names per call. */
const BATCH = 5;

export const openSearchDomains = sweepFact(
  'opensearch-domains',
  async (ctx): Promise<AwsResult<OpenSearchDomain[]>> => {
    const { aws } = ctx.sweep;
    const listed = await aws.call(
      'opensearch',
      'es:ListDomainNames',
      (os, abortSignal, { ListDomainNamesCommand }) =>
        os.send(new ListDomainNamesCommand({}), { abortSignal }),
    );
    if (!listed.ok) return listed;
    const names = (listed.value.DomainNames ?? []).flatMap((d) => (d.DomainName ? [d.DomainName] : []));
    const batches: string[][] = [];
    for (let i = 0; i < names.length; i += BATCH) batches.push(names.slice(i, i + BATCH));
    const described = await Promise.all(
      batches.map((DomainNames) =>
        aws.call('opensearch', 'es:DescribeDomains', (os, abortSignal, { DescribeDomainsCommand }) =>
          os.send(new DescribeDomainsCommand({ DomainNames }), { abortSignal }),
        ),
      ),
    );
    const out: OpenSearchDomain[] = [];
    for (const r of described) {
      if (!r.ok) return r;
      for (const d of r.value.DomainStatusList ?? []) {
        const domain = domainOf(d);
        if (domain) out.push(domain);
      }
    }
    return { ok: true, value: out };
  },
);

function domainOf(d: DomainStatus): OpenSearchDomain | undefined {
  if (!d.DomainName || !d.ARN) return undefined;
  const custom = d.DomainEndpointOptions?.CustomEndpoint;
  const hosts = [d.Endpoint, d.EndpointV2, ...Object.values(d.Endpoints ?? {}), custom]
    .filter((h): h is string => typeof h === 'string' && h.trim() !== '')
    .map(normaliseHost);
  const aso = d.AdvancedSecurityOptions;
  return {
    name: d.DomainName,
    arn: d.ARN,
    account: d.ARN.split(':')[4] ?? '',
    hosts: [...new Set(hosts)],
    accessPolicies: d.AccessPolicies ?? '',
    fgac: {
      enabled: aso?.Enabled === true,
      internalUserDatabase: aso?.InternalUserDatabaseEnabled === true,
      anonymousAuth: aso?.AnonymousAuthEnabled === true,
    },
    deleted: d.Deleted === true,
  };
}

/** The host of an --opensearch URL (`https://host[:port][/path]` or a bare host), for matching. */
export function openSearchHost(raw: string): string | undefined {
  const text = raw.trim();
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
    return url.hostname ? normaliseHost(url.hostname) : undefined;
  } catch {
    return undefined;
  }
}
