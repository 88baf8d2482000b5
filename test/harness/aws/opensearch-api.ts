// Amazon OpenSearch Service's configuration API on loopback (restJson1, version 2021-01-01, signing name
// `es`): ListDomainNames, DescribeDomain, DescribeDomains. The domain access policy is answered as a
// JSON string, as the service does; a missing domain is ResourceNotFoundException with HTTP 409.
import { randomBytes } from 'node:crypto';
import type { IamAccount, PolicyDocument } from '../iam.js';
import { AwsFault, type AwsService, type Operation, startAwsService } from './aws-service.js';

export interface OpenSearchDomain {
  name: string;
  /** ACCOUNT/NAME */
  domainId: string;
  arn: string;
  engineVersion: string;
  /** public endpoint (search-...), absent for a VPC domain */
  endpoint?: string;
  /** VPC endpoint (vpc-...) */
  vpcEndpoint?: string;
  /** the domain access policy as stored: a JSON string, or absent */
  accessPolicies?: string;
  advancedSecurity: { enabled: boolean; internalUserDatabaseEnabled: boolean; anonymousAuthEnabled: boolean };
  enforceHttps: boolean;
  customEndpoint?: string;
  created: boolean;
  deleted: boolean;
  processing: boolean;
}

export interface AddDomainInput {
  name: string;
  engineVersion?: string;
  /** host of the domain endpoint; default an AWS-style search-NAME-ID.REGION.es.amazonaws.com */
  endpoint?: string;
  /** true: the endpoint goes to Endpoints.vpc (a VPC domain) */
  vpc?: boolean;
  /** object or raw JSON text (to test unparsable or oddly shaped policies) */
  accessPolicy?: PolicyDocument | string;
  fgac?: { enabled: boolean; internalUserDatabaseEnabled?: boolean; anonymousAuthEnabled?: boolean };
  enforceHttps?: boolean;
  customEndpoint?: string;
  deleted?: boolean;
  processing?: boolean;
}

export interface OpenSearchApi extends AwsService {
  region: string;
  domains: Map<string, OpenSearchDomain>;
  addDomain(input: AddDomainInput): OpenSearchDomain;
}

export interface OpenSearchApiOptions {
  iam: IamAccount;
  region: string;
  tls?: { certPem: string; keyPem: string };
}

const DOMAIN_RE = /^[a-z][a-z0-9-]{2,27}$/;
const validation = (message: string) => new AwsFault(400, 'ValidationException', message);
const notFound = (name: string) =>
  new AwsFault(409, 'ResourceNotFoundException', `Domain not found: ${name}`);

export async function startOpenSearchApi(o: OpenSearchApiOptions): Promise<OpenSearchApi> {
  const { iam, region } = o;
  const domains = new Map<string, OpenSearchDomain>();
  const dns = iam.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  const domainArn = (name: string) => `arn:${iam.partition}:es:${region}:${iam.accountId}:domain/${name}`;

  const checkName = (name: string) => {
    if (!DOMAIN_RE.test(name))
      throw validation(
        `1 validation error detected: Value '${name}' at 'domainName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z][a-z0-9\\-]+`,
      );
    return name;
  };

  const statusJson = (d: OpenSearchDomain) => ({
    DomainId: d.domainId,
    DomainName: d.name,
    ARN: d.arn,
    Created: d.created,
    Deleted: d.deleted,
    Endpoint: d.endpoint,
    Endpoints: d.vpcEndpoint ? { vpc: d.vpcEndpoint } : undefined,
    Processing: d.processing,
    UpgradeProcessing: false,
    EngineVersion: d.engineVersion,
    ClusterConfig: {
      InstanceType: 'r6g.large.search',
      InstanceCount: 3,
      DedicatedMasterEnabled: false,
      ZoneAwarenessEnabled: true,
      ZoneAwarenessConfig: { AvailabilityZoneCount: 3 },
      WarmEnabled: false,
      ColdStorageOptions: { Enabled: false },
      MultiAZWithStandbyEnabled: false,
    },
    EBSOptions: { EBSEnabled: true, VolumeType: 'gp3', VolumeSize: 100, Iops: 3000, Throughput: 125 },
    AccessPolicies: d.accessPolicies ?? '',
    IPAddressType: 'ipv4',
    SnapshotOptions: {},
    VPCOptions: d.vpcEndpoint
      ? {
          VPCId: 'vpc-0a1b2c3d4e5f60718',
          SubnetIds: ['subnet-0a1b2c3d4e5f60718'],
          AvailabilityZones: [`${region}a`],
          SecurityGroupIds: ['sg-0a1b2c3d4e5f60718'],
        }
      : undefined,
    CognitoOptions: { Enabled: false },
    EncryptionAtRestOptions: { Enabled: true },
    NodeToNodeEncryptionOptions: { Enabled: d.advancedSecurity.enabled },
    AdvancedOptions: {
      'indices.fielddata.cache.size': '20',
      'rest.action.multi.allow_explicit_index': 'true',
    },
    DomainEndpointOptions: {
      EnforceHTTPS: d.enforceHttps,
      TLSSecurityPolicy: 'Policy-Min-TLS-1-2-2019-07',
      CustomEndpointEnabled: d.customEndpoint !== undefined,
      CustomEndpoint: d.customEndpoint,
    },
    AdvancedSecurityOptions: {
      Enabled: d.advancedSecurity.enabled,
      InternalUserDatabaseEnabled: d.advancedSecurity.internalUserDatabaseEnabled,
      AnonymousAuthEnabled: d.advancedSecurity.anonymousAuthEnabled,
    },
    DomainProcessingStatus: d.processing ? 'Modifying' : 'Active',
  });

  const route = (method: string, path: string, q: URLSearchParams, body: Buffer): Operation => {
    const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (method === 'GET' && seg.length === 2 && seg[0] === '2021-01-01' && seg[1] === 'domain') {
      const engine = q.get('engineType');
      if (engine !== null && engine !== 'OpenSearch' && engine !== 'Elasticsearch')
        throw validation(
          `1 validation error detected: Value '${engine}' at 'engineType' failed to satisfy constraint: Member must satisfy enum value set: [OpenSearch, Elasticsearch]`,
        );
      return {
        name: 'ListDomainNames',
        action: 'es:ListDomainNames',
        resource: '*',
        describedAs: null,
        run: () => ({
          DomainNames: [...domains.values()]
            .filter((d) => !d.deleted)
            .map((d) => ({
              DomainName: d.name,
              EngineType: d.engineVersion.startsWith('Elasticsearch') ? 'Elasticsearch' : 'OpenSearch',
            }))
            .filter((d) => engine === null || d.EngineType === engine),
        }),
      };
    }
    if (
      method === 'GET' &&
      seg.length === 4 &&
      seg[0] === '2021-01-01' &&
      seg[1] === 'opensearch' &&
      seg[2] === 'domain'
    ) {
      const name = checkName(seg[3]);
      return {
        name: 'DescribeDomain',
        action: 'es:DescribeDomain',
        resource: domainArn(name),
        run: () => {
          const d = domains.get(name);
          if (!d) throw notFound(name);
          return { DomainStatus: statusJson(d) };
        },
      };
    }
    if (method === 'POST' && seg.join('/') === '2021-01-01/opensearch/domain-info') {
      let names: string[];
      try {
        const parsed = JSON.parse(body.toString('utf8') || '{}') as { DomainNames?: unknown };
        names = Array.isArray(parsed.DomainNames) ? parsed.DomainNames.map(String) : [];
      } catch {
        throw new AwsFault(400, 'SerializationException', 'Could not parse the request body.');
      }
      if (names.length === 0 || names.length > 5)
        throw validation('DomainNames must contain between 1 and 5 domain names.');
      names.forEach(checkName);
      return {
        name: 'DescribeDomains',
        action: 'es:DescribeDomains',
        resource: names.map(domainArn),
        run: () => ({
          // Unknown names are left out rather than refused, as the service does.
          DomainStatusList: names.flatMap((n) => {
            const d = domains.get(n);
            return d ? [statusJson(d)] : [];
          }),
        }),
      };
    }
    throw new AwsFault(404, 'UnknownOperationException', `No operation matches ${method} ${path}`);
  };

  const service = await startAwsService({
    iam,
    signingName: 'es',
    protocol: 'rest-json',
    regions: [region],
    tls: o.tls,
    route: (call) => route(call.method, call.path, call.query, call.body),
  });

  return {
    ...service,
    region,
    domains,
    addDomain(input) {
      const name = input.name;
      const host =
        input.endpoint ??
        `${input.vpc ? 'vpc' : 'search'}-${name}-${randomBytes(13).toString('hex').slice(0, 26)}.${region}.es.${dns}`;
      const d: OpenSearchDomain = {
        name,
        domainId: `${iam.accountId}/${name}`,
        arn: domainArn(name),
        engineVersion: input.engineVersion ?? 'OpenSearch_2.17',
        endpoint: input.vpc ? undefined : host,
        vpcEndpoint: input.vpc ? host : undefined,
        accessPolicies:
          input.accessPolicy === undefined
            ? undefined
            : typeof input.accessPolicy === 'string'
              ? input.accessPolicy
              : JSON.stringify(input.accessPolicy),
        advancedSecurity: {
          enabled: input.fgac?.enabled ?? true,
          internalUserDatabaseEnabled: input.fgac?.internalUserDatabaseEnabled ?? false,
          anonymousAuthEnabled: input.fgac?.anonymousAuthEnabled ?? false,
        },
        enforceHttps: input.enforceHttps ?? true,
        customEndpoint: input.customEndpoint,
        created: true,
        deleted: input.deleted ?? false,
        processing: input.processing ?? false,
      };
      domains.set(name, d);
      return d;
    },
  };
}
