// One call that stands up the identity side of a loopback EKS cluster (issuer, IAM, STS, IMDS, and
// optionally the Pod Identity agent), healthy by default, plus the environment the pod identity
// webhook would inject. Scenario tests break one piece at a time.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IamAccount, type PolicyDocument, type Role } from './iam.js';
import { type ImdsEmulator, type ImdsMode, startImds } from './imds.js';
import { type MintOptions, type OidcIssuer, startOidcIssuer } from './oidc-issuer.js';
import { type PodIdentityAgent, type PodIdentityMode, startPodIdentityAgent } from './pod-identity-agent.js';
import { type StsEmulator, startSts } from './sts.js';
import { createTestCa, type TestCa } from './tls-ca.js';

export interface EksStackOptions {
  /** default 'eu-west-1' */
  region?: string;
  /** default '111122223333' */
  accountId?: string;
  /** default 'hop-limit': pods cannot get an IMDSv2 token, v1 still answers (the common EKS default) */
  imdsMode?: ImdsMode;
  stsDisabled?: boolean;
  /** start a Pod Identity agent for podEnv({ mechanism: 'pod-identity' }) */
  podIdentity?: { mode?: PodIdentityMode; roleArn?: string; requireToken?: boolean };
  /** default 'camunda' / 'zeebe-sa': the identity the healthy role trusts */
  namespace?: string;
  serviceAccount?: string;
}

export interface PodEnvOptions {
  namespace?: string;
  serviceAccount?: string;
  roleArn?: string;
  tokenOpts?: Partial<MintOptions>;
  /** 'irsa' (default) injects the web-identity variables, 'pod-identity' the container-credentials ones */
  mechanism?: 'irsa' | 'pod-identity' | 'both';
  /** variable names to leave out, e.g. ['AWS_ROLE_ARN'] */
  omit?: string[];
  extra?: Record<string, string>;
}

export interface EksStack {
  region: string;
  iam: IamAccount;
  ca: TestCa;
  issuer: OidcIssuer;
  sts: StsEmulator;
  imds: ImdsEmulator;
  podIdentity?: PodIdentityAgent;
  /** arn:aws:iam::ACCT:role/irsa-doctor-app, trusted for system:serviceaccount:camunda:zeebe-sa with aud sts.amazonaws.com */
  roleArn: string;
  role: Role;
  nodeRoleArn: string;
  /** role the Pod Identity agent hands out (trusts pods.eks.amazonaws.com) */
  podIdentityRoleArn: string;
  tmpDir: string;
  /** the trust policy the healthy role starts with, for tests that alter and restore it */
  healthyTrustPolicy(): PolicyDocument;
  /** adds an identity-policy statement to a role (default: the app role) */
  allow(action: string | string[], resource: string | string[], roleArn?: string): void;
  podEnv(p?: PodEnvOptions): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export async function startEksStack(opts: EksStackOptions = {}): Promise<EksStack> {
  const region = opts.region ?? 'eu-west-1';
  const namespace = opts.namespace ?? 'camunda';
  const serviceAccount = opts.serviceAccount ?? 'zeebe-sa';
  const iam = new IamAccount({ accountId: opts.accountId });
  const tmpDir = mkdtempSync(join(tmpdir(), 'irsa-doctor-eks-'));
  const closers: Array<() => Promise<void> | void> = [() => rmSync(tmpDir, { recursive: true, force: true })];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c();
  };
  try {
    const ca = await createTestCa();
    closers.push(() => ca.cleanup());
    const issuer = await startOidcIssuer({ ca });
    closers.push(() => issuer.close());
    iam.addOidcProvider({
      url: issuer.issuerHost,
      clientIds: ['sts.amazonaws.com'],
      thumbprints: [ca.thumbprint],
    });

    const healthyTrustPolicy = (): PolicyDocument => ({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: iam.oidcProviderArn(issuer.issuerHost) },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${issuer.issuerHost}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
              [`${issuer.issuerHost}:aud`]: 'sts.amazonaws.com',
            },
          },
        },
      ],
    });
    const role = iam.addRole({
      arn: iam.roleArn('irsa-doctor-app'),
      trustPolicy: healthyTrustPolicy(),
      policies: [],
    });
    const nodeRoleArn = iam.roleArn('eksctl-irsa-doctor-nodegroup-NodeInstanceRole-1A2B3C4D5E6F');
    iam.addRole({
      arn: nodeRoleArn,
      trustPolicy: {
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      },
      policies: [],
    });
    const podIdentityRoleArn = opts.podIdentity?.roleArn ?? iam.roleArn('irsa-doctor-pod-identity');
    if (!iam.getRole(podIdentityRoleArn))
      iam.addRole({
        arn: podIdentityRoleArn,
        trustPolicy: {
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'pods.eks.amazonaws.com' },
              Action: ['sts:AssumeRole', 'sts:TagSession'],
            },
          ],
        },
        policies: [],
      });

    const sts = await startSts({ iam, region, disabled: opts.stsDisabled, caCertPem: ca.caCertPem });
    closers.push(() => sts.close());
    const imds = await startImds({ iam, nodeRoleArn, mode: opts.imdsMode ?? 'hop-limit', region });
    closers.push(() => imds.close());

    const podIdentityToken = await issuer.mintToken({
      namespace,
      serviceAccount,
      audience: ['pods.eks.amazonaws.com'],
    });
    let podIdentity: PodIdentityAgent | undefined;
    if (opts.podIdentity) {
      podIdentity = await startPodIdentityAgent({
        iam,
        roleArn: podIdentityRoleArn,
        mode: opts.podIdentity.mode ?? 'ok',
        expectedToken: opts.podIdentity.requireToken === false ? undefined : podIdentityToken,
      });
      closers.push(() => podIdentity?.close());
    }

    const home = join(tmpDir, 'home');
    mkdirSync(home);
    let pods = 0;

    async function podEnv(p: PodEnvOptions = {}): Promise<Record<string, string>> {
      const podDir = join(tmpDir, `pod-${++pods}`);
      mkdirSync(podDir);
      const mechanism = p.mechanism ?? 'irsa';
      const env: Record<string, string> = {
        AWS_REGION: region,
        AWS_DEFAULT_REGION: region,
        AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url,
        // Not injected by the webhook, but keeps every STS call on loopback whatever the mechanism.
        AWS_ENDPOINT_URL_STS: sts.url,
        NODE_EXTRA_CA_CERTS: ca.caFile,
        HOME: home,
        AWS_CONFIG_FILE: join(home, '.aws', 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
      };
      if (mechanism !== 'pod-identity') {
        const tokenFile = join(podDir, 'token');
        const token = await issuer.mintToken({
          namespace: p.namespace ?? namespace,
          serviceAccount: p.serviceAccount ?? serviceAccount,
          ...p.tokenOpts,
        });
        writeFileSync(tokenFile, token);
        Object.assign(env, {
          AWS_ROLE_ARN: p.roleArn ?? role.arn,
          AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
          AWS_STS_REGIONAL_ENDPOINTS: 'regional',
        });
      }
      if (mechanism !== 'irsa') {
        if (!podIdentity)
          throw new Error("podEnv({ mechanism: 'pod-identity' }) needs startEksStack({ podIdentity: {} })");
        const tokenFile = join(podDir, 'eks-pod-identity-token');
        writeFileSync(tokenFile, podIdentityToken);
        env.AWS_CONTAINER_CREDENTIALS_FULL_URI = podIdentity.url;
        env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE = tokenFile;
      }
      for (const k of p.omit ?? []) delete env[k];
      return { ...env, ...p.extra };
    }

    return {
      region,
      iam,
      ca,
      issuer,
      sts,
      imds,
      podIdentity,
      roleArn: role.arn,
      role,
      nodeRoleArn,
      podIdentityRoleArn,
      tmpDir,
      healthyTrustPolicy,
      allow(action, resource, roleArn = role.arn) {
        const r = iam.getRole(roleArn);
        if (!r) throw new Error(`no role ${roleArn}`);
        r.policies.push({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: action, Resource: resource }],
        });
      },
      podEnv,
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
