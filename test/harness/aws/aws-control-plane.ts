// The AWS control plane on loopback, for `irsa-doctor audit` (issue 10): IAM, EKS, RDS, OpenSearch
// Service, CloudTrail, EC2 and STS, as the operator's workstation reaches them.
//
// Usage, for whoever writes src/audit/ against it:
//
//   const stack = await startEksStack();                      // optional: shares IAM, STS, issuer, node
//   const cp = await startAwsControlPlane({ stack });
//   cp.rds.addAuroraCluster({ identifier: 'camunda', resourceId: 'cluster-ABC...' });
//   cp.openSearch.addDomain({ name: 'camunda', accessPolicy: {...} });
//   cp.eks.addPodIdentityAssociation({ clusterName: cp.clusterName, namespace, serviceAccount, roleArn });
//   runCli(['audit', ...], { env: { ...cp.env } });          // read cp.env AFTER any blackhole() call
//
// - The product must reach AWS only through the SDK's standard settings: `cp.env` carries
//   AWS_ENDPOINT_URL_{IAM,EKS,RDS,OPENSEARCH,CLOUDTRAIL,EC2,STS}, the operator's AWS_ACCESS_KEY_ID /
//   AWS_SECRET_ACCESS_KEY and AWS_REGION (plus NODE_EXTRA_CA_CERTS with `tls: true`).
// - IAM is global: real IAM only accepts signatures scoped to us-east-1 (aws), cn-north-1 (aws-cn),
//   us-gov-west-1 (aws-us-gov). Against iam.amazonaws.com the SDK picks that region itself, but with an
//   endpoint override it signs with the client's region. So create the IAM client with the partition's
//   IAM region (the product needs its own table; tests may use iamSigningRegion from here): a client
//   left in eu-west-1 gets SignatureDoesNotMatch, as it would from real IAM behind an override.
// - Every call is SigV4-verified and then authorized against the operator's identity policy with the
//   harness's own evaluator. `cp.operator.revoke('iam:SimulatePrincipalPolicy')` makes an operator
//   without that permission (implicit deny), `cp.operator.deny(...)` an explicit one.
// - Policy documents come back URL-encoded (decodeURIComponent before JSON.parse), as IAM sends them.
// - SimulatePrincipalPolicy returns one EvaluationResult per action x resource; with ResourceArns each
//   carries ResourceSpecificResults for its resource. Read both forms.
// - CloudTrail: every AssumeRoleWithWebIdentity the STS emulator serves (success or refusal) is in the
//   trail of the role's account, region of STS, newest first. Error codes in records use exception names
//   (InvalidIdentityTokenException) where public samples show them: accept both spellings.
// - `cp.blackhole('rds')` points that service's endpoint at a port that accepts TCP and never answers:
//   the audit must time out on it and still report the rest (requestTimeout needs
//   throwOnRequestTimeout: true, see src/agent/aws/sdk-options.ts). `cp.restore('rds')` undoes it.
// - CloudTrail's JS SDK sends `X-Amz-Target: CloudTrail_20131101.LookupEvents`; both spellings work.
// - Emulators record every call in `.requests` (operation, status, error code, caller) for assertions
//   such as "the audit never called X" or "made one DescribeCluster".

import auditReadOnlyPolicy from '../../../iam/audit-read-only-policy.json' with { type: 'json' };
import type { EksStack } from '../eks-stack.js';
import { IamAccount, type IssuedCredentials, type PolicyDocument } from '../iam.js';
import type { ImdsMode } from '../imds.js';
import { type Blackhole, startBlackhole } from '../net-fixtures.js';
import { type StsEmulator, startSts } from '../sts.js';
import { createTestCa, type TestCa } from '../tls-ca.js';
import type { AwsService } from './aws-service.js';
import { type CloudTrailApi, startCloudTrailApi } from './cloudtrail-api.js';
import { type Ec2Api, type Ec2Instance, startEc2Api } from './ec2-api.js';
import { type EksApi, type EksCluster, startEksApi } from './eks-api.js';
import { startIamApi } from './iam-api.js';
import { type OpenSearchApi, startOpenSearchApi } from './opensearch-api.js';
import { type RdsApi, startRdsApi } from './rds-api.js';

export { iamSigningRegion } from './iam-api.js';

export type AwsServiceName = 'iam' | 'eks' | 'rds' | 'opensearch' | 'cloudtrail' | 'ec2' | 'sts';

/**
 * The read-only policy the project ships for `irsa-doctor audit` (iam/audit-read-only-policy.json): every
 * operator of these tests holds exactly it unless a test says otherwise, so the scenarios prove that the
 * shipped policy is enough.
 */
// Imported, not read at run time: the demo and the benchmarks run this file bundled elsewhere.
export const AUDIT_READ_POLICY = auditReadOnlyPolicy as PolicyDocument;

/**
 * Every read the emulators serve, beyond the audit's own: for the emulators' tests, which call APIs the
 * audit does not need (the audit's policy is kept to what it calls).
 */
export function everyEmulatedRead(): PolicyDocument {
  const policy = structuredClone(AUDIT_READ_POLICY);
  policy.Statement.push({
    Effect: 'Allow',
    Action: [
      'iam:ListRolePolicies',
      'iam:ListOpenIDConnectProviders',
      'es:DescribeDomain',
      'rds:DescribeDBClusterEndpoints',
    ],
    Resource: '*',
  });
  return policy;
}

/** The actions of that policy: everything `irsa-doctor audit` reads, and nothing else. */
export const AUDIT_READ_ACTIONS: readonly string[] = AUDIT_READ_POLICY.Statement.flatMap((s) =>
  Array.isArray(s.Action) ? s.Action : s.Action === undefined ? [] : [s.Action],
);

export interface AwsControlPlaneOptions {
  /** share the stack's IamAccount, STS (and its CloudTrail feed), issuer and node */
  stack?: EksStack;
  /** without a stack: the account model to serve (default a fresh one) */
  iam?: IamAccount;
  /** without a stack or iam: default 'aws' / '111122223333' */
  partition?: string;
  accountId?: string;
  /** default the stack's region, else eu-west-1 */
  region?: string;
  /** with a stack: name of the cluster registered for its issuer; default 'irsa-doctor' */
  clusterName?: string;
  /** with a stack: the kube API URL DescribeCluster reports (compare with the kubeconfig) */
  clusterEndpoint?: string;
  /** with a stack: the node's IMDS mode, for its EC2 MetadataOptions; default 'hop-limit' (eks-stack's) */
  nodeImdsMode?: ImdsMode;
  /** the operator's identity policy; default AUDIT_READ_POLICY */
  operatorPolicy?: PolicyDocument;
  operatorName?: string;
  /** serve HTTPS (certificates from the stack's CA or a fresh one); env gets NODE_EXTRA_CA_CERTS */
  tls?: boolean;
  cloudTrailDeliveryDelayMs?: number;
}

export interface Operator {
  /** arn:PARTITION:iam::ACCT:user/operator */
  arn: string;
  credentials: IssuedCredentials;
  /** the live policy document (edit it, or use the helpers) */
  policy: PolicyDocument;
  /** remove an action from the Allow lists: the operator then lacks it (implicit deny) */
  revoke(action: string): void;
  /** allow an action (again) on * */
  grant(action: string): void;
  /** add an explicit Deny */
  deny(action: string | string[], resource?: string | string[]): void;
}

export interface AwsControlPlane {
  region: string;
  partition: string;
  accountId: string;
  iam: IamAccount;
  /** AWS_ENDPOINT_URL_* for every service, the operator's keys, AWS_REGION (mutated by blackhole/restore) */
  env: Record<string, string>;
  operator: Operator;
  iamApi: AwsService;
  eks: EksApi;
  rds: RdsApi;
  openSearch: OpenSearchApi;
  cloudTrail: CloudTrailApi;
  ec2: Ec2Api;
  sts: StsEmulator;
  /** with a stack: the cluster registered for its issuer, and its node */
  clusterName?: string;
  cluster?: EksCluster;
  node?: Ec2Instance;
  /** point one service's endpoint at a port that accepts connections and never answers */
  blackhole(service: AwsServiceName): Promise<void>;
  restore(service: AwsServiceName): void;
  close(): Promise<void>;
}

const ENV_NAMES: Record<AwsServiceName, string> = {
  iam: 'AWS_ENDPOINT_URL_IAM',
  eks: 'AWS_ENDPOINT_URL_EKS',
  rds: 'AWS_ENDPOINT_URL_RDS',
  opensearch: 'AWS_ENDPOINT_URL_OPENSEARCH',
  cloudtrail: 'AWS_ENDPOINT_URL_CLOUDTRAIL',
  ec2: 'AWS_ENDPOINT_URL_EC2',
  sts: 'AWS_ENDPOINT_URL_STS',
};

export async function startAwsControlPlane(opts: AwsControlPlaneOptions = {}): Promise<AwsControlPlane> {
  const stack = opts.stack;
  const iam =
    stack?.iam ??
    opts.iam ??
    new IamAccount({ accountId: opts.accountId, partition: opts.partition ?? 'aws' });
  const region = opts.region ?? stack?.region ?? 'eu-west-1';
  const closers: Array<() => Promise<void> | void> = [];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c();
  };
  try {
    let ca: TestCa | undefined = stack?.ca;
    if (opts.tls && !ca) {
      const own = await createTestCa();
      closers.push(() => own.cleanup());
      ca = own;
    }
    const tls = opts.tls && ca ? await ca.issue(['127.0.0.1', 'localhost']) : undefined;

    const operatorArn = iam.userArn(opts.operatorName ?? 'operator');
    const policy: PolicyDocument = opts.operatorPolicy ?? structuredClone(AUDIT_READ_POLICY);
    iam.addUser({ arn: operatorArn, policies: [policy] });
    const credentials = iam.issueStaticKey(operatorArn);
    const operator: Operator = {
      arn: operatorArn,
      credentials,
      policy,
      revoke(action) {
        for (const s of policy.Statement) {
          if (s.Effect !== 'Allow' || s.Action === undefined) continue;
          const list = Array.isArray(s.Action) ? s.Action : [s.Action];
          s.Action = list.filter((a) => a.toLowerCase() !== action.toLowerCase());
        }
      },
      grant(action) {
        policy.Statement.push({ Effect: 'Allow', Action: action, Resource: '*' });
      },
      deny(action, resource = '*') {
        policy.Statement.push({ Effect: 'Deny', Action: action, Resource: resource });
      },
    };

    const start = async <T extends AwsService>(p: Promise<T>): Promise<T> => {
      const s = await p;
      closers.push(() => s.close());
      return s;
    };
    const iamApi = await start(startIamApi({ iam, tls }));
    const eks = await start(startEksApi({ iam, region, tls }));
    const rds = await start(startRdsApi({ iam, region, tls }));
    const openSearch = await start(startOpenSearchApi({ iam, region, tls }));
    const cloudTrail = await start(
      startCloudTrailApi({ iam, region, tls, deliveryDelayMs: opts.cloudTrailDeliveryDelayMs }),
    );
    const ec2 = await start(startEc2Api({ iam, region, tls }));

    let sts = stack?.sts;
    if (!sts) {
      const own = await startSts({ iam, region, caCertPem: ca?.caCertPem ?? '' });
      closers.push(() => own.close());
      sts = own;
    }
    const unsubscribe = sts.onWebIdentity((call) => cloudTrail.recordWebIdentity(call));
    closers.push(() => {
      unsubscribe();
    });

    const urls: Record<AwsServiceName, string> = {
      iam: iamApi.url,
      eks: eks.url,
      rds: rds.url,
      opensearch: openSearch.url,
      cloudtrail: cloudTrail.url,
      ec2: ec2.url,
      sts: sts.url,
    };
    const env: Record<string, string> = {
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    };
    for (const [service, name] of Object.entries(ENV_NAMES)) env[name] = urls[service as AwsServiceName];
    if (tls && ca) env.NODE_EXTRA_CA_CERTS = ca.caFile;

    let cluster: EksCluster | undefined;
    let node: Ec2Instance | undefined;
    const clusterName = stack ? (opts.clusterName ?? 'irsa-doctor') : undefined;
    if (stack && clusterName) {
      cluster = eks.addCluster({
        name: clusterName,
        issuer: stack.issuer.issuerUrl,
        endpoint: opts.clusterEndpoint,
        caPem: stack.ca.caCertPem,
      });
      node = ec2.addInstance({
        instanceId: stack.imds.instanceId,
        imdsMode: opts.nodeImdsMode ?? 'hop-limit',
        nodeRoleArn: stack.nodeRoleArn,
        tags: { [`kubernetes.io/cluster/${clusterName}`]: 'owned', 'eks:cluster-name': clusterName },
      });
    }

    const holes = new Map<AwsServiceName, Blackhole>();
    closers.push(async () => {
      for (const h of holes.values()) await h.close();
    });

    return {
      region,
      partition: iam.partition,
      accountId: iam.accountId,
      iam,
      env,
      operator,
      iamApi,
      eks,
      rds,
      openSearch,
      cloudTrail,
      ec2,
      sts,
      clusterName,
      cluster,
      node,
      async blackhole(service) {
        if (!holes.has(service)) holes.set(service, await startBlackhole());
        const h = holes.get(service) as Blackhole;
        env[ENV_NAMES[service]] = `${tls ? 'https' : 'http'}://${h.host}:${h.port}`;
      },
      restore(service) {
        env[ENV_NAMES[service]] = urls[service];
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
