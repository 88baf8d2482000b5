// EC2's DescribeInstances on loopback (ec2Query, lowerCamel XML with <item> lists): the nodes' instance
// metadata settings (HttpTokens, hop limit) that decide whether a pod can fall back to the node role.
// Nodes are found from Kubernetes `spec.providerID` (`aws:///AZ/i-...`).
import { randomBytes } from 'node:crypto';
import type { IamAccount } from '../iam.js';
import type { ImdsMode } from '../imds.js';
import { AwsFault, type AwsService, type Operation, startAwsService } from './aws-service.js';
import { listParam, pageToken, structListParam, type XmlValue } from './aws-wire.js';

export const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

export interface MetadataOptions {
  httpTokens: 'required' | 'optional';
  httpPutResponseHopLimit: number;
  httpEndpoint: 'enabled' | 'disabled';
}

export interface Ec2Instance {
  instanceId: string;
  availabilityZone: string;
  privateDnsName: string;
  privateIpAddress: string;
  instanceType: string;
  state: 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';
  metadataOptions: MetadataOptions;
  iamInstanceProfile?: { arn: string; id: string };
  tags: Record<string, string>;
  launchTime: Date;
  /** what the kubelet writes into the Node's spec.providerID */
  providerId: string;
}

export interface AddInstanceInput {
  instanceId?: string;
  availabilityZone?: string;
  privateIpAddress?: string;
  instanceType?: string;
  state?: Ec2Instance['state'];
  /** default: what `imdsMode` implies, else required tokens with hop limit 2 (EKS's AL2023 default) */
  metadata?: Partial<MetadataOptions>;
  /** derive the metadata options from the IMDS emulator's mode */
  imdsMode?: ImdsMode;
  /** the node role; the instance profile is named after it, as the IMDS emulator does */
  nodeRoleArn?: string;
  tags?: Record<string, string>;
}

/** The EC2 setting each IMDS emulator mode stands for. */
export function metadataOptionsFor(mode: ImdsMode): MetadataOptions {
  switch (mode) {
    case 'hop-limit':
      return { httpTokens: 'optional', httpPutResponseHopLimit: 1, httpEndpoint: 'enabled' };
    case 'hop-limit-v1-disabled':
      return { httpTokens: 'required', httpPutResponseHopLimit: 1, httpEndpoint: 'enabled' };
    case 'v2-only':
      return { httpTokens: 'required', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled' };
    default:
      return { httpTokens: 'optional', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled' };
  }
}

export interface Ec2Api extends AwsService {
  region: string;
  instances: Map<string, Ec2Instance>;
  addInstance(input?: AddInstanceInput): Ec2Instance;
}

export interface Ec2ApiOptions {
  iam: IamAccount;
  region: string;
  tls?: { certPem: string; keyPem: string };
}

const INSTANCE_ID_RE = /^i-([0-9a-f]{8}|[0-9a-f]{17})$/;
const STATE_CODES: Record<Ec2Instance['state'], number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};
const hex = (n: number) =>
  randomBytes(Math.ceil(n / 2))
    .toString('hex')
    .slice(0, n);

export async function startEc2Api(o: Ec2ApiOptions): Promise<Ec2Api> {
  const { iam, region } = o;
  const instances = new Map<string, Ec2Instance>();
  const vpcId = `vpc-${hex(17)}`;
  const subnetId = `subnet-${hex(17)}`;
  const groupId = `sg-${hex(17)}`;
  const internalDomain = region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`;

  const instanceXml = (i: Ec2Instance): Record<string, XmlValue> => ({
    instanceId: i.instanceId,
    imageId: `ami-${hex(17)}`,
    instanceState: { code: STATE_CODES[i.state], name: i.state },
    privateDnsName: i.privateDnsName,
    dnsName: '',
    amiLaunchIndex: 0,
    instanceType: i.instanceType,
    launchTime: i.launchTime,
    placement: { availabilityZone: i.availabilityZone, groupName: '', tenancy: 'default' },
    monitoring: { state: 'disabled' },
    subnetId,
    vpcId,
    privateIpAddress: i.privateIpAddress,
    sourceDestCheck: true,
    groupSet: [{ groupId, groupName: 'eks-cluster-sg' }],
    architecture: 'arm64',
    rootDeviceType: 'ebs',
    rootDeviceName: '/dev/xvda',
    virtualizationType: 'hvm',
    tagSet: Object.entries(i.tags).map(([key, value]) => ({ key, value })),
    hypervisor: 'xen',
    iamInstanceProfile: i.iamInstanceProfile,
    ebsOptimized: true,
    enaSupport: true,
    metadataOptions: {
      state: 'applied',
      httpTokens: i.metadataOptions.httpTokens,
      httpPutResponseHopLimit: i.metadataOptions.httpPutResponseHopLimit,
      httpEndpoint: i.metadataOptions.httpEndpoint,
      httpProtocolIpv6: 'disabled',
      instanceMetadataTags: 'disabled',
    },
    privateDnsNameOptions: { hostnameType: 'ip-name', enableResourceNameDnsARecord: false },
  });

  const filterMatches = (i: Ec2Instance, name: string, values: string[]): boolean => {
    if (name.startsWith('tag:')) return values.includes(i.tags[name.slice(4)] ?? '\u0000');
    switch (name) {
      case 'instance-id':
        return values.includes(i.instanceId);
      case 'private-dns-name':
        return values.includes(i.privateDnsName);
      case 'instance-state-name':
        return values.includes(i.state);
      case 'availability-zone':
        return values.includes(i.availabilityZone);
      case 'iam-instance-profile.arn':
        return values.includes(i.iamInstanceProfile?.arn ?? '');
      default:
        throw new AwsFault(400, 'InvalidParameterValue', `The filter '${name}' is invalid`);
    }
  };

  const describe = (p: Record<string, string>) => {
    const ids = listParam(p, 'InstanceId', '');
    const filters = structListParam(p, 'Filter', '').map((f) => ({
      name: f.Name ?? '',
      values: listParam(f, 'Value', ''),
    }));
    if (p.MaxResults !== undefined && ids.length > 0)
      throw new AwsFault(
        400,
        'InvalidParameterCombination',
        'The parameter instancesSet cannot be used with the parameter maxResults',
      );
    const max = p.MaxResults === undefined ? 1000 : Number(p.MaxResults);
    if (!Number.isInteger(max) || max < 5 || max > 1000)
      throw new AwsFault(
        400,
        'InvalidParameterValue',
        `Value ( ${p.MaxResults} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`,
      );
    const malformed = ids.find((id) => !INSTANCE_ID_RE.test(id));
    if (malformed) throw new AwsFault(400, 'InvalidInstanceID.Malformed', `Invalid id: "${malformed}"`);
    const missing = ids.filter((id) => !instances.has(id));
    if (missing.length === 1)
      throw new AwsFault(400, 'InvalidInstanceID.NotFound', `The instance ID '${missing[0]}' does not exist`);
    if (missing.length > 1)
      throw new AwsFault(
        400,
        'InvalidInstanceID.NotFound',
        `The instance IDs '${missing.join(', ')}' do not exist`,
      );
    const all = [...instances.values()].filter(
      (i) =>
        (ids.length === 0 || ids.includes(i.instanceId)) &&
        filters.every((f) => filterMatches(i, f.name, f.values)),
    );
    const start = pageToken.decode(p.NextToken);
    if (start === undefined || start > all.length)
      throw new AwsFault(400, 'InvalidParameterValue', 'The value for nextToken is invalid.');
    const page = all.slice(start, start + max);
    const next = start + page.length;
    return {
      reservationSet: page.map((i) => ({
        reservationId: `r-${hex(17)}`,
        ownerId: iam.accountId,
        groupSet: [],
        instancesSet: [instanceXml(i)],
      })),
      nextToken: next < all.length ? pageToken.encode(next) : undefined,
    };
  };

  const service = await startAwsService({
    iam,
    signingName: 'ec2',
    protocol: 'ec2',
    xmlns: EC2_XMLNS,
    regions: [region],
    tls: o.tls,
    route: (call): Operation => {
      const action = call.params.Action ?? '';
      if (action !== 'DescribeInstances')
        throw new AwsFault(400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
      return {
        name: action,
        action: 'ec2:DescribeInstances',
        resource: '*',
        describedAs: null,
        run: () => describe(call.params),
      };
    },
  });

  return {
    ...service,
    region,
    instances,
    addInstance(input = {}) {
      const instanceId = input.instanceId ?? `i-0${hex(16)}`;
      const az = input.availabilityZone ?? `${region}a`;
      const ip = input.privateIpAddress ?? `10.0.${instances.size + 1}.${10 + instances.size}`;
      const base = input.imdsMode
        ? metadataOptionsFor(input.imdsMode)
        : ({ httpTokens: 'required', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled' } as const);
      const i: Ec2Instance = {
        instanceId,
        availabilityZone: az,
        privateDnsName: `ip-${ip.replace(/\./g, '-')}.${internalDomain}`,
        privateIpAddress: ip,
        instanceType: input.instanceType ?? 'm7g.large',
        state: input.state ?? 'running',
        metadataOptions: { ...base, ...input.metadata },
        iamInstanceProfile: input.nodeRoleArn
          ? { arn: input.nodeRoleArn.replace(':role/', ':instance-profile/'), id: 'AIPAEXAMPLE0123456789' }
          : undefined,
        tags: input.tags ?? {},
        launchTime: new Date(),
        providerId: `aws:///${az}/${instanceId}`,
      };
      instances.set(instanceId, i);
      return i;
    },
  };
}
