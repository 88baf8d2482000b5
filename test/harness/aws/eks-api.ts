// EKS's read API on loopback (restJson1): clusters and EKS Pod Identity associations, with EKS's error
// shapes (ResourceNotFoundException 404 carrying clusterName, InvalidParameterException 400).
import { randomBytes } from 'node:crypto';
import type { IamAccount } from '../iam.js';
import { AwsFault, type AwsService, type Operation, startAwsService } from './aws-service.js';
import { pageToken } from './aws-wire.js';

export interface EksCluster {
  name: string;
  arn: string;
  /** API server URL, e.g. https://ABC.gr7.eu-west-1.eks.amazonaws.com (compare with the kubeconfig) */
  endpoint: string;
  version: string;
  /** https://oidc.eks.REGION.amazonaws.com/id/ID, or the loopback issuer */
  issuer?: string;
  status: 'CREATING' | 'ACTIVE' | 'DELETING' | 'FAILED' | 'UPDATING' | 'PENDING';
  /** base64 PEM */
  certificateAuthorityData: string;
  roleArn: string;
  platformVersion: string;
  createdAt: Date;
  vpcId: string;
  securityGroupIds: string[];
  clusterSecurityGroupId: string;
  subnetIds: string[];
  authenticationMode: 'API' | 'API_AND_CONFIG_MAP' | 'CONFIG_MAP';
  tags: Record<string, string>;
}

export interface PodIdentityAssociation {
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  associationId: string;
  associationArn: string;
  /** cross-account role chaining (2025): the role EKS assumes with the first role's session */
  targetRoleArn?: string;
  externalId?: string;
  disableSessionTags: boolean;
  ownerArn?: string;
  createdAt: Date;
  modifiedAt: Date;
  tags: Record<string, string>;
}

export interface AddClusterInput {
  name: string;
  endpoint?: string;
  version?: string;
  /** the issuer URL (https://...); omit for a cluster without an OIDC issuer */
  issuer?: string;
  status?: EksCluster['status'];
  /** CA PEM; stored base64 as DescribeCluster returns it */
  caPem?: string;
  roleArn?: string;
  authenticationMode?: EksCluster['authenticationMode'];
  tags?: Record<string, string>;
}

export interface EksApi extends AwsService {
  region: string;
  clusters: Map<string, EksCluster>;
  associations: Map<string, PodIdentityAssociation>;
  addCluster(input: AddClusterInput): EksCluster;
  addPodIdentityAssociation(input: {
    clusterName: string;
    namespace: string;
    serviceAccount: string;
    roleArn: string;
    targetRoleArn?: string;
    disableSessionTags?: boolean;
  }): PodIdentityAssociation;
}

export interface EksApiOptions {
  iam: IamAccount;
  region: string;
  tls?: { certPem: string; keyPem: string };
}

const NAME_RE = /^[0-9A-Za-z][A-Za-z0-9\-_]*$/;
const lowerId = (n: number) =>
  [...randomBytes(n)].map((b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');
const upperHex = (n: number) => randomBytes(n).toString('hex').toUpperCase();
const epoch = (d: Date) => d.getTime() / 1000;

const notFound = (message: string, fields: Record<string, unknown> = {}) =>
  new AwsFault(404, 'ResourceNotFoundException', message, fields);
const invalidParameter = (message: string, fields: Record<string, unknown> = {}) =>
  new AwsFault(400, 'InvalidParameterException', message, fields);

function maxResults(q: URLSearchParams, limit: number): number {
  const raw = q.get('maxResults');
  if (raw === null) return limit;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > limit)
    throw invalidParameter(`maxResults must be between 1 and ${limit}`);
  return n;
}

function paged<T>(q: URLSearchParams, items: T[], limit: number): { page: T[]; nextToken?: string } {
  const max = maxResults(q, limit);
  const start = pageToken.decode(q.get('nextToken') ?? undefined);
  if (start === undefined || start > items.length)
    throw invalidParameter('The nextToken provided is invalid.');
  const page = items.slice(start, start + max);
  const next = start + page.length;
  return { page, nextToken: next < items.length ? pageToken.encode(next) : undefined };
}

export async function startEksApi(o: EksApiOptions): Promise<EksApi> {
  const { iam, region } = o;
  const clusters = new Map<string, EksCluster>();
  const associations = new Map<string, PodIdentityAssociation>();
  const dns = iam.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  const clusterArn = (name: string) => `arn:${iam.partition}:eks:${region}:${iam.accountId}:cluster/${name}`;

  const clusterJson = (c: EksCluster) => ({
    name: c.name,
    arn: c.arn,
    createdAt: epoch(c.createdAt),
    version: c.version,
    endpoint: c.endpoint,
    roleArn: c.roleArn,
    resourcesVpcConfig: {
      subnetIds: c.subnetIds,
      securityGroupIds: c.securityGroupIds,
      clusterSecurityGroupId: c.clusterSecurityGroupId,
      vpcId: c.vpcId,
      endpointPublicAccess: true,
      endpointPrivateAccess: true,
      publicAccessCidrs: ['0.0.0.0/0'],
    },
    kubernetesNetworkConfig: { serviceIpv4Cidr: '172.20.0.0/16', ipFamily: 'ipv4' },
    logging: { clusterLogging: [{ types: ['api', 'audit', 'authenticator'], enabled: false }] },
    identity: c.issuer ? { oidc: { issuer: c.issuer } } : undefined,
    status: c.status,
    certificateAuthority: { data: c.certificateAuthorityData },
    platformVersion: c.platformVersion,
    tags: c.tags,
    accessConfig: { authenticationMode: c.authenticationMode },
  });
  const summaryJson = (a: PodIdentityAssociation) => ({
    clusterName: a.clusterName,
    namespace: a.namespace,
    serviceAccount: a.serviceAccount,
    associationArn: a.associationArn,
    associationId: a.associationId,
    ownerArn: a.ownerArn,
  });
  const associationJson = (a: PodIdentityAssociation) => ({
    ...summaryJson(a),
    roleArn: a.roleArn,
    tags: a.tags,
    createdAt: epoch(a.createdAt),
    modifiedAt: epoch(a.modifiedAt),
    disableSessionTags: a.disableSessionTags,
    targetRoleArn: a.targetRoleArn,
    externalId: a.externalId,
  });

  const mustCluster = (name: string) => {
    const c = clusters.get(name);
    if (!c) throw notFound(`No cluster found for name: ${name}.`, { clusterName: name });
    return c;
  };
  const clusterName = (raw: string) => {
    const name = decodeURIComponent(raw);
    if (name.length > 100 || !NAME_RE.test(name)) throw invalidParameter(`Invalid cluster name: ${name}`);
    return name;
  };

  const route = (method: string, path: string, q: URLSearchParams): Operation => {
    const seg = path.split('/').filter(Boolean);
    if (method === 'GET' && seg.length === 1 && seg[0] === 'clusters')
      return {
        name: 'ListClusters',
        action: 'eks:ListClusters',
        resource: '*',
        describedAs: `arn:${iam.partition}:eks:${region}:${iam.accountId}:cluster/*`,
        run: () => {
          const { page, nextToken } = paged(q, [...clusters.keys()].sort(), 100);
          return { clusters: page, nextToken };
        },
      };
    if (method === 'GET' && seg[0] === 'clusters' && seg.length === 2) {
      const name = clusterName(seg[1]);
      return {
        name: 'DescribeCluster',
        action: 'eks:DescribeCluster',
        resource: clusterArn(name),
        run: () => ({ cluster: clusterJson(mustCluster(name)) }),
      };
    }
    if (
      method === 'GET' &&
      seg[0] === 'clusters' &&
      seg[2] === 'pod-identity-associations' &&
      seg.length === 3
    ) {
      const name = clusterName(seg[1]);
      return {
        name: 'ListPodIdentityAssociations',
        action: 'eks:ListPodIdentityAssociations',
        resource: clusterArn(name),
        run: () => {
          mustCluster(name);
          const ns = q.get('namespace');
          const sa = q.get('serviceAccount');
          const matching = [...associations.values()].filter(
            (a) =>
              a.clusterName === name &&
              (ns === null || a.namespace === ns) &&
              (sa === null || a.serviceAccount === sa),
          );
          const { page, nextToken } = paged(q, matching, 100);
          return { associations: page.map(summaryJson), nextToken };
        },
      };
    }
    if (
      method === 'GET' &&
      seg[0] === 'clusters' &&
      seg[2] === 'pod-identity-associations' &&
      seg.length === 4
    ) {
      const name = clusterName(seg[1]);
      const id = decodeURIComponent(seg[3]);
      return {
        name: 'DescribePodIdentityAssociation',
        action: 'eks:DescribePodIdentityAssociation',
        resource: `arn:${iam.partition}:eks:${region}:${iam.accountId}:podidentityassociation/${name}/${id}`,
        run: () => {
          mustCluster(name);
          const a = associations.get(id);
          if (!a || a.clusterName !== name)
            throw notFound(`No Pod Identity association found for id: ${id}.`, { clusterName: name });
          return { association: associationJson(a) };
        },
      };
    }
    throw new AwsFault(404, 'UnknownOperationException', `No operation matches ${method} ${path}`);
  };

  const service = await startAwsService({
    iam,
    signingName: 'eks',
    protocol: 'rest-json',
    regions: [region],
    tls: o.tls,
    route: (call) => route(call.method, call.path, call.query),
  });

  return {
    ...service,
    region,
    clusters,
    associations,
    addCluster(input) {
      const id = upperHex(16);
      const c: EksCluster = {
        name: input.name,
        arn: clusterArn(input.name),
        endpoint: input.endpoint ?? `https://${id}.gr7.${region}.eks.${dns}`,
        version: input.version ?? '1.31',
        issuer: input.issuer,
        status: input.status ?? 'ACTIVE',
        certificateAuthorityData: Buffer.from(input.caPem ?? '').toString('base64'),
        roleArn: input.roleArn ?? iam.roleArn(`${input.name}-cluster-role`),
        platformVersion: 'eks.12',
        createdAt: new Date(),
        vpcId: `vpc-${lowerId(17)}`,
        securityGroupIds: [`sg-${lowerId(17)}`],
        clusterSecurityGroupId: `sg-${lowerId(17)}`,
        subnetIds: [`subnet-${lowerId(17)}`, `subnet-${lowerId(17)}`],
        authenticationMode: input.authenticationMode ?? 'API_AND_CONFIG_MAP',
        tags: input.tags ?? {},
      };
      clusters.set(c.name, c);
      return c;
    },
    addPodIdentityAssociation(input) {
      mustCluster(input.clusterName);
      const associationId = `a-${lowerId(17)}`;
      const now = new Date();
      const a: PodIdentityAssociation = {
        clusterName: input.clusterName,
        namespace: input.namespace,
        serviceAccount: input.serviceAccount,
        roleArn: input.roleArn,
        associationId,
        associationArn: `arn:${iam.partition}:eks:${region}:${iam.accountId}:podidentityassociation/${input.clusterName}/${associationId}`,
        targetRoleArn: input.targetRoleArn,
        externalId: input.targetRoleArn ? lowerId(32) : undefined,
        disableSessionTags: input.disableSessionTags ?? false,
        createdAt: now,
        modifiedAt: now,
        tags: {},
      };
      associations.set(associationId, a);
      return a;
    },
  };
}
