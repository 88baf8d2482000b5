// RDS's read API on loopback (awsQuery, XML): Aurora clusters with their resource id (`cluster-...`, the
// id an rds-db:connect ARN must name), instances (`db-...`), custom endpoints and RDS Proxies, with RDS's
// named list items and its faults (DBClusterNotFoundFault, DBInstanceNotFound, DBProxyNotFoundFault).
import { randomBytes } from 'node:crypto';
import type { IamAccount } from '../iam.js';
import { AwsFault, type AwsService, type Operation, startAwsService } from './aws-service.js';
import { listParam, pageToken, structListParam, type XmlValue } from './aws-wire.js';

export const RDS_XMLNS = 'http://rds.amazonaws.com/doc/2014-10-31/';

export interface AuroraCluster {
  identifier: string;
  /** cluster-XXXXXXXXXXXXXXXXXXXXXXXXXX: what `rds-db:connect` resources name */
  resourceId: string;
  arn: string;
  engine: string;
  engineVersion: string;
  status: string;
  endpoint: string;
  readerEndpoint: string;
  port: number;
  iamAuth: boolean;
  customEndpoints: Array<{ name: string; host: string; type: 'READER' | 'ANY'; members: string[] }>;
  members: Array<{ instanceId: string; writer: boolean }>;
  masterUsername: string;
  databaseName?: string;
  vpcSecurityGroupIds: string[];
  createdAt: Date;
}

export interface DbInstance {
  identifier: string;
  /** db-XXXXXXXXXXXXXXXXXXXXXXXXXX */
  resourceId: string;
  arn: string;
  engine: string;
  engineVersion: string;
  status: string;
  address: string;
  port: number;
  /** for Aurora members this mirrors the cluster's setting */
  iamAuth: boolean;
  clusterIdentifier?: string;
  instanceClass: string;
  availabilityZone: string;
  vpcSecurityGroupIds: string[];
  masterUsername: string;
  createdAt: Date;
}

export interface DbProxy {
  name: string;
  arn: string;
  status: string;
  engineFamily: 'POSTGRESQL' | 'MYSQL' | 'SQLSERVER';
  endpoint: string;
  requireTls: boolean;
  /** 'IAM_AUTH' = end-to-end IAM (no secret), 'NONE' = the Auth entries decide */
  defaultAuthScheme: 'IAM_AUTH' | 'NONE';
  auth: Array<{
    description?: string;
    userName?: string;
    authScheme: 'SECRETS';
    secretArn: string;
    iamAuth: 'DISABLED' | 'REQUIRED' | 'ENABLED';
    clientPasswordAuthType: string;
  }>;
  vpcId: string;
  vpcSecurityGroupIds: string[];
  vpcSubnetIds: string[];
  roleArn: string;
  createdAt: Date;
}

export interface AddAuroraClusterInput {
  identifier: string;
  resourceId?: string;
  /** default true */
  iamAuth?: boolean;
  /** writer endpoint host; default the RDS-style name (point it at a loopback front door in scenarios) */
  endpoint?: string;
  readerEndpoint?: string;
  port?: number;
  /** writer plus readers; default 1 */
  instances?: number;
  engineVersion?: string;
  status?: string;
  databaseName?: string;
  masterUsername?: string;
  customEndpoints?: Array<{ name: string; host?: string; type?: 'READER' | 'ANY' }>;
}

export interface RdsApi extends AwsService {
  region: string;
  clusters: Map<string, AuroraCluster>;
  instances: Map<string, DbInstance>;
  proxies: Map<string, DbProxy>;
  addAuroraCluster(input: AddAuroraClusterInput): AuroraCluster;
  /** a stand-alone RDS for PostgreSQL instance (or, with clusterIdentifier, an extra Aurora member) */
  addDbInstance(input: {
    identifier: string;
    iamAuth?: boolean;
    address?: string;
    port?: number;
    engine?: string;
    clusterIdentifier?: string;
    resourceId?: string;
  }): DbInstance;
  addDbProxy(input: {
    name: string;
    iamAuth?: DbProxy['auth'][number]['iamAuth'];
    requireTls?: boolean;
    endpoint?: string;
    defaultAuthScheme?: DbProxy['defaultAuthScheme'];
  }): DbProxy;
}

export interface RdsApiOptions {
  iam: IamAccount;
  region: string;
  tls?: { certPem: string; keyPem: string };
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const upperId = (n: number) => [...randomBytes(n)].map((b) => ID_CHARS[b % 36]).join('');
const lowerId = (n: number) => upperId(n).toLowerCase();
const IDENTIFIER_RE = /^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-)$/;

/** RDS names every list item: DBCluster, DBClusterMember, VpcSecurityGroupMembership, ... */
const LIST_ITEMS: Record<string, string> = {
  DBClusters: 'DBCluster',
  DBClusterMembers: 'DBClusterMember',
  VpcSecurityGroups: 'VpcSecurityGroupMembership',
  DBInstances: 'DBInstance',
  DBClusterEndpoints: 'DBClusterEndpointList',
  AvailabilityZones: 'AvailabilityZone',
  TagList: 'Tag',
  DBParameterGroups: 'DBParameterGroup',
  DBClusterRoles: 'DBClusterRole',
  AssociatedRoles: 'DBInstanceRole',
};

const invalidValue = (message: string) => new AwsFault(400, 'InvalidParameterValue', message);

export async function startRdsApi(o: RdsApiOptions): Promise<RdsApi> {
  const { iam, region } = o;
  const clusters = new Map<string, AuroraCluster>();
  const instances = new Map<string, DbInstance>();
  const proxies = new Map<string, DbProxy>();
  const dns = iam.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  // One DNS label per account and region, as RDS uses in every endpoint of the account.
  const suffix = lowerId(12);
  const arn = (type: string, id: string) =>
    `arn:${iam.partition}:rds:${region}:${iam.accountId}:${type}:${id}`;
  const azs = ['a', 'b', 'c'].map((z) => `${region}${z}`);

  /** DBClusterIdentifier and friends accept the name or the ARN. */
  const identifier = (p: Record<string, string>, name: string, type: string): string | undefined => {
    const raw = p[name];
    if (raw === undefined) return undefined;
    const prefix = arn(type, '');
    const id = raw.startsWith(prefix) ? raw.slice(prefix.length) : raw;
    if (!IDENTIFIER_RE.test(id))
      throw invalidValue(
        `The parameter ${name} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.`,
      );
    return id.toLowerCase();
  };

  const filters = (p: Record<string, string>) =>
    structListParam(p, 'Filters', 'Filter').map((f) => ({
      name: f.Name ?? '',
      values: listParam(f, 'Values', 'Value'),
    }));

  function paged<T>(p: Record<string, string>, items: T[]): { page: T[]; Marker?: string } {
    const max = p.MaxRecords === undefined ? 100 : Number(p.MaxRecords);
    if (!Number.isInteger(max) || max < 20 || max > 100)
      throw invalidValue(`Invalid value ${p.MaxRecords} for MaxRecords. Must be between 20 and 100`);
    const start = pageToken.decode(p.Marker);
    if (start === undefined || start > items.length) throw invalidValue('Invalid marker.');
    const page = items.slice(start, start + max);
    const next = start + page.length;
    return { page, Marker: next < items.length ? pageToken.encode(next) : undefined };
  }

  const clusterXml = (c: AuroraCluster): Record<string, XmlValue> => ({
    AllocatedStorage: 1,
    AvailabilityZones: azs,
    BackupRetentionPeriod: 1,
    DatabaseName: c.databaseName,
    DBClusterIdentifier: c.identifier,
    DBClusterParameterGroup: `default.${c.engine}${c.engineVersion.split('.')[0]}`,
    DBSubnetGroup: 'default',
    Status: c.status,
    Endpoint: c.endpoint,
    ReaderEndpoint: c.readerEndpoint,
    CustomEndpoints: c.customEndpoints.map((e) => e.host),
    MultiAZ: c.members.length > 1,
    Engine: c.engine,
    EngineVersion: c.engineVersion,
    Port: c.port,
    MasterUsername: c.masterUsername,
    DBClusterMembers: c.members.map((m) => ({
      DBInstanceIdentifier: m.instanceId,
      IsClusterWriter: m.writer,
      DBClusterParameterGroupStatus: 'in-sync',
      PromotionTier: 1,
    })),
    VpcSecurityGroups: c.vpcSecurityGroupIds.map((id) => ({ VpcSecurityGroupId: id, Status: 'active' })),
    HostedZoneId: 'Z29XKXDKYMONMX',
    StorageEncrypted: true,
    DbClusterResourceId: c.resourceId,
    DBClusterArn: c.arn,
    IAMDatabaseAuthenticationEnabled: c.iamAuth,
    ClusterCreateTime: c.createdAt,
    EngineMode: 'provisioned',
    DeletionProtection: false,
    HttpEndpointEnabled: false,
    CopyTagsToSnapshot: false,
    CrossAccountClone: false,
    TagList: [],
  });

  const instanceXml = (i: DbInstance): Record<string, XmlValue> => ({
    DBInstanceIdentifier: i.identifier,
    DBInstanceClass: i.instanceClass,
    Engine: i.engine,
    DBInstanceStatus: i.status,
    MasterUsername: i.masterUsername,
    Endpoint: { Address: i.address, Port: i.port, HostedZoneId: 'Z29XKXDKYMONMX' },
    InstanceCreateTime: i.createdAt,
    VpcSecurityGroups: i.vpcSecurityGroupIds.map((id) => ({ VpcSecurityGroupId: id, Status: 'active' })),
    AvailabilityZone: i.availabilityZone,
    MultiAZ: false,
    EngineVersion: i.engineVersion,
    PubliclyAccessible: false,
    StorageType: i.clusterIdentifier ? 'aurora' : 'gp3',
    DbInstancePort: 0,
    DBClusterIdentifier: i.clusterIdentifier,
    StorageEncrypted: true,
    DbiResourceId: i.resourceId,
    DBInstanceArn: i.arn,
    IAMDatabaseAuthenticationEnabled: i.iamAuth,
    DeletionProtection: false,
    TagList: [],
  });

  const proxyXml = (x: DbProxy): Record<string, XmlValue> => ({
    DBProxyName: x.name,
    DBProxyArn: x.arn,
    Status: x.status,
    EngineFamily: x.engineFamily,
    VpcId: x.vpcId,
    VpcSecurityGroupIds: x.vpcSecurityGroupIds,
    VpcSubnetIds: x.vpcSubnetIds,
    DefaultAuthScheme: x.defaultAuthScheme,
    Auth: x.auth.map((a) => ({
      Description: a.description,
      UserName: a.userName,
      AuthScheme: a.authScheme,
      SecretArn: a.secretArn,
      IAMAuth: a.iamAuth,
      ClientPasswordAuthType: a.clientPasswordAuthType,
    })),
    RoleArn: x.roleArn,
    Endpoint: x.endpoint,
    RequireTLS: x.requireTls,
    IdleClientTimeout: 1800,
    DebugLogging: false,
    CreatedDate: x.createdAt,
    UpdatedDate: x.createdAt,
  });

  const clusterEndpoints = (c: AuroraCluster): Record<string, XmlValue>[] => [
    { DBClusterIdentifier: c.identifier, Endpoint: c.endpoint, Status: 'available', EndpointType: 'WRITER' },
    {
      DBClusterIdentifier: c.identifier,
      Endpoint: c.readerEndpoint,
      Status: 'available',
      EndpointType: 'READER',
    },
    ...c.customEndpoints.map((e) => ({
      DBClusterEndpointIdentifier: e.name,
      DBClusterIdentifier: c.identifier,
      DBClusterEndpointResourceIdentifier: `cluster-endpoint-${lowerId(26)}`,
      Endpoint: e.host,
      Status: 'available',
      EndpointType: 'CUSTOM',
      CustomEndpointType: e.type,
      StaticMembers: e.members,
      ExcludedMembers: [],
      DBClusterEndpointArn: arn('cluster-endpoint', e.name),
    })),
  ];

  const route = (p: Record<string, string>): Operation => {
    const action = p.Action ?? '';
    switch (action) {
      case 'DescribeDBClusters': {
        const id = identifier(p, 'DBClusterIdentifier', 'cluster');
        const fs = filters(p);
        return {
          name: action,
          action: 'rds:DescribeDBClusters',
          resource: arn('cluster', id ?? '*'),
          run: () => {
            if (id !== undefined && !clusters.has(id))
              throw new AwsFault(
                404,
                'DBClusterNotFoundFault',
                `DBCluster ${p.DBClusterIdentifier} not found.`,
              );
            const all = [...clusters.values()].filter(
              (c) =>
                (id === undefined || c.identifier === id) &&
                fs.every(
                  (f) =>
                    (f.name === 'db-cluster-id' &&
                      (f.values.includes(c.identifier) || f.values.includes(c.arn))) ||
                    (f.name === 'engine' && f.values.includes(c.engine)),
                ),
            );
            const { page, Marker } = paged(p, all);
            return { DBClusters: page.map(clusterXml), Marker };
          },
        };
      }
      case 'DescribeDBInstances': {
        const id = identifier(p, 'DBInstanceIdentifier', 'db');
        const fs = filters(p);
        return {
          name: action,
          action: 'rds:DescribeDBInstances',
          resource: arn('db', id ?? '*'),
          run: () => {
            if (id !== undefined && !instances.has(id))
              throw new AwsFault(
                404,
                'DBInstanceNotFound',
                `DBInstance ${p.DBInstanceIdentifier} not found.`,
              );
            const all = [...instances.values()].filter(
              (i) =>
                (id === undefined || i.identifier === id) &&
                fs.every(
                  (f) =>
                    (f.name === 'db-cluster-id' && f.values.includes(i.clusterIdentifier ?? '')) ||
                    (f.name === 'db-instance-id' &&
                      (f.values.includes(i.identifier) || f.values.includes(i.arn))) ||
                    (f.name === 'engine' && f.values.includes(i.engine)),
                ),
            );
            const { page, Marker } = paged(p, all);
            return { DBInstances: page.map(instanceXml), Marker };
          },
        };
      }
      case 'DescribeDBProxies': {
        const name = p.DBProxyName;
        return {
          name: action,
          action: 'rds:DescribeDBProxies',
          resource: (name && proxies.get(name)?.arn) || arn('db-proxy', '*'),
          run: () => {
            if (name !== undefined && !proxies.has(name))
              throw new AwsFault(
                404,
                'DBProxyNotFoundFault',
                `The specified proxy name ${name} doesn't correspond to a proxy owned by your Amazon Web Services account in the specified Amazon Web Services Region.`,
              );
            const all = [...proxies.values()].filter((x) => name === undefined || x.name === name);
            const { page, Marker } = paged(p, all);
            return { DBProxies: page.map(proxyXml), Marker };
          },
        };
      }
      case 'DescribeDBClusterEndpoints': {
        const id = identifier(p, 'DBClusterIdentifier', 'cluster');
        const endpointId = p.DBClusterEndpointIdentifier;
        return {
          name: action,
          action: 'rds:DescribeDBClusterEndpoints',
          resource: arn('cluster', id ?? '*'),
          run: () => {
            if (id !== undefined && !clusters.has(id))
              throw new AwsFault(
                404,
                'DBClusterNotFoundFault',
                `DBCluster ${p.DBClusterIdentifier} not found.`,
              );
            const all = [...clusters.values()]
              .filter((c) => id === undefined || c.identifier === id)
              .flatMap(clusterEndpoints)
              .filter((e) => endpointId === undefined || e.DBClusterEndpointIdentifier === endpointId);
            const { page, Marker } = paged(p, all);
            return { DBClusterEndpoints: page, Marker };
          },
        };
      }
      default:
        throw new AwsFault(
          400,
          'InvalidAction',
          `Could not find operation ${action} for version ${p.Version ?? 'NO_VERSION_SPECIFIED'}`,
        );
    }
  };

  const service = await startAwsService({
    iam,
    signingName: 'rds',
    protocol: 'query',
    xmlns: RDS_XMLNS,
    regions: [region],
    memberName: (list) => LIST_ITEMS[list] ?? 'member',
    tls: o.tls,
    route: (call) => route(call.params),
  });

  const addDbInstance: RdsApi['addDbInstance'] = (input) => {
    const cluster = input.clusterIdentifier ? clusters.get(input.clusterIdentifier) : undefined;
    const id = input.identifier.toLowerCase();
    const i: DbInstance = {
      identifier: id,
      resourceId: input.resourceId ?? `db-${upperId(26)}`,
      arn: arn('db', id),
      engine: input.engine ?? cluster?.engine ?? 'postgres',
      engineVersion: cluster?.engineVersion ?? '16.4',
      status: 'available',
      address: input.address ?? `${id}.${suffix}.${region}.rds.${dns}`,
      port: input.port ?? cluster?.port ?? 5432,
      iamAuth: input.iamAuth ?? cluster?.iamAuth ?? false,
      clusterIdentifier: cluster?.identifier,
      instanceClass: cluster ? 'db.r6g.large' : 'db.t4g.medium',
      availabilityZone: azs[instances.size % azs.length],
      vpcSecurityGroupIds: cluster?.vpcSecurityGroupIds ?? [`sg-${lowerId(17)}`],
      masterUsername: cluster?.masterUsername ?? 'postgres',
      createdAt: new Date(),
    };
    instances.set(id, i);
    if (cluster) cluster.members.push({ instanceId: id, writer: cluster.members.length === 0 });
    return i;
  };

  return {
    ...service,
    region,
    clusters,
    instances,
    proxies,
    addAuroraCluster(input) {
      const id = input.identifier.toLowerCase();
      const c: AuroraCluster = {
        identifier: id,
        resourceId: input.resourceId ?? `cluster-${upperId(26)}`,
        arn: arn('cluster', id),
        engine: 'aurora-postgresql',
        engineVersion: input.engineVersion ?? '16.4',
        status: input.status ?? 'available',
        endpoint: input.endpoint ?? `${id}.cluster-${suffix}.${region}.rds.${dns}`,
        readerEndpoint: input.readerEndpoint ?? `${id}.cluster-ro-${suffix}.${region}.rds.${dns}`,
        port: input.port ?? 5432,
        iamAuth: input.iamAuth ?? true,
        customEndpoints: [],
        members: [],
        masterUsername: input.masterUsername ?? 'postgres',
        databaseName: input.databaseName,
        vpcSecurityGroupIds: [`sg-${lowerId(17)}`],
        createdAt: new Date(),
      };
      clusters.set(id, c);
      for (let n = 1; n <= (input.instances ?? 1); n++)
        addDbInstance({ identifier: `${id}-instance-${n}`, clusterIdentifier: id });
      c.customEndpoints = (input.customEndpoints ?? []).map((e) => ({
        name: e.name,
        host: e.host ?? `${e.name}.cluster-custom-${suffix}.${region}.rds.${dns}`,
        type: e.type ?? 'ANY',
        members: c.members.map((m) => m.instanceId),
      }));
      return c;
    },
    addDbInstance,
    addDbProxy(input) {
      const x: DbProxy = {
        name: input.name,
        arn: arn('db-proxy', `prx-${randomBytes(9).toString('hex').slice(0, 17)}`),
        status: 'available',
        engineFamily: 'POSTGRESQL',
        endpoint: input.endpoint ?? `${input.name}.proxy-${suffix}.${region}.rds.${dns}`,
        requireTls: input.requireTls ?? true,
        defaultAuthScheme: input.defaultAuthScheme ?? 'NONE',
        auth: [
          {
            authScheme: 'SECRETS',
            secretArn: `arn:${iam.partition}:secretsmanager:${region}:${iam.accountId}:secret:${input.name}-db-${lowerId(6)}`,
            iamAuth: input.iamAuth ?? 'REQUIRED',
            clientPasswordAuthType: 'POSTGRES_SCRAM_SHA_256',
          },
        ],
        vpcId: `vpc-${lowerId(17)}`,
        vpcSecurityGroupIds: [`sg-${lowerId(17)}`],
        vpcSubnetIds: [`subnet-${lowerId(17)}`, `subnet-${lowerId(17)}`],
        roleArn: iam.roleArn(`${input.name}-proxy-role`),
        createdAt: new Date(),
      };
      proxies.set(x.name, x);
      return x;
    },
  };
}
