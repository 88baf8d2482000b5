// The AWS clients the audit reads with, built on first use (each client module is loaded only when the
// audit needs it; a call gets its commands from that module, so no check imports a client package and
// an audit that reads no EC2 never loads its 2 MB client), each call bounded by its own step and by the
// run's deadline, and its failure turned into a value. Credentials, region and endpoints come only from the SDK's standard chain and settings
// (AWS_PROFILE, SSO, env, AWS_ENDPOINT_URL_*), as for any AWS tool on the operator's workstation.
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { EKSClient } from '@aws-sdk/client-eks';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { OpenSearchClient } from '@aws-sdk/client-opensearch';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { STSClient } from '@aws-sdk/client-sts';
import { CappedHttpHandler, capEverySdkHandler } from '../../aws/capped-http-handler.js';
import type { RunDeadline } from '../../lib/deadline.js';
import { withDeadline } from '../../lib/deadline.js';
import { loadCommonJs } from '../../lib/load-common-js.js';
import { partitionOfRegion } from '../../lib/partition.js';
import { ProxyRouter } from '../../lib/proxy/proxy-router.js';
import type { AuditAction } from './audit-actions.js';
import { type AwsResult, awsFailure } from './aws-result.js';

/** The longest one read may take; AWS control plane APIs answer in well under a second. */
const CALL_MS = 10_000;
/** Time kept back so an audit whose endpoint never answers still reports it before the deadline. */
const MARGIN_MS = 300;
/**
 * The most any one answer may hold. The largest real ones (a page of 100 EC2 instances, 50 CloudTrail
 * events, a policy version) stay well under a few MiB; whatever sends more is not the AWS API and must
 * not cost the workstation its memory.
 */
export const MAX_AUDIT_BODY_BYTES = 16 * 1024 * 1024;

/** IAM is global per partition and only accepts signatures for its home region. */
export function iamRegionOf(partition: string): string {
  const regions: Record<string, string> = {
    aws: 'us-east-1',
    'aws-cn': 'cn-north-1',
    'aws-us-gov': 'us-gov-west-1',
    'aws-iso': 'us-iso-east-1',
    'aws-iso-b': 'us-isob-east-1',
  };
  return regions[partition] ?? 'us-east-1';
}

type Clients = {
  iam: IAMClient;
  eks: EKSClient;
  rds: RDSClient;
  opensearch: OpenSearchClient;
  cloudtrail: CloudTrailClient;
  ec2: EC2Client;
  sts: STSClient;
};

/** Each service's client package, as a call receives it: its commands (`new sdk.GetRoleCommand(...)`). */
export type AwsSdks = {
  iam: typeof import('@aws-sdk/client-iam');
  eks: typeof import('@aws-sdk/client-eks');
  rds: typeof import('@aws-sdk/client-rds');
  opensearch: typeof import('@aws-sdk/client-opensearch');
  cloudtrail: typeof import('@aws-sdk/client-cloudtrail');
  ec2: typeof import('@aws-sdk/client-ec2');
  sts: typeof import('@aws-sdk/client-sts');
};

type Made<K extends keyof Clients> = { client: Clients[K]; sdk: AwsSdks[K] };

export class AuditAws {
  readonly partition: string;
  private readonly made = new Map<keyof Clients, Promise<Made<keyof Clients>>>();
  /** Each client's proxy router, read after a failed call: did it fail at the proxy? */
  private readonly routers = new Map<keyof Clients, ProxyRouter>();

  constructor(
    readonly region: string,
    private readonly deadline: RunDeadline,
    private readonly env: Readonly<Record<string, string | undefined>> = process.env,
  ) {
    this.partition = partitionOfRegion(region);
    // The SDK's own nested clients (SSO, a profile's assume-role STS) build their handlers with
    // NodeHttpHandler.create: capped and behind the same proxy as the audit's own clients.
    capEverySdkHandler(env);
  }

  /**
   * A handler for a client the audit builds for one call: bodies capped, each request sent through the
   * proxy or direct as HTTPS_PROXY / HTTP_PROXY / NO_PROXY say (src/lib/proxy/), as the AWS CLI on the
   * same laptop would. A new one per client: destroying a client destroys its handler's agents.
   */
  handler(ms: number, router: ProxyRouter = new ProxyRouter(this.env)): CappedHttpHandler {
    return new CappedHttpHandler(
      {
        connectionTimeout: ms,
        requestTimeout: ms,
        throwOnRequestTimeout: true,
        httpAgent: router.httpAgent,
        httpsAgent: router.httpsAgent,
      },
      MAX_AUDIT_BODY_BYTES,
    );
  }

  /**
   * One read: `run` gets the client, the signal to pass to `send` and the service's package for the
   * command; a throw becomes a failure value.
   */
  async call<K extends keyof Clients, T>(
    service: K,
    action: AuditAction,
    run: (client: Clients[K], abortSignal: AbortSignal, sdk: AwsSdks[K]) => Promise<T>,
  ): Promise<AwsResult<T>> {
    try {
      const { client, sdk } = await this.client(service, this.callMs());
      // Timed from here: loading a client's package on its first call is no time its endpoint took.
      const ms = this.callMs();
      const abortSignal = AbortSignal.any([this.deadline.signal, AbortSignal.timeout(ms)]);
      return {
        ok: true,
        value: await withDeadline(run(client, abortSignal, sdk), ms, action, this.deadline.signal),
      };
    } catch (e) {
      const failed = awsFailure(e, action);
      // Failed at the proxy, not at AWS: the finding names the proxy (a 407, a refused CONNECT, a proxy
      // that is down). AWS's own answers (denied, not found) came through a working proxy.
      const atProxy =
        failed.kind === 'unreachable' || failed.kind === 'error'
          ? this.routers.get(service)?.failure()
          : undefined;
      return atProxy ? { ...failed, kind: 'unreachable', proxy: atProxy } : failed;
    }
  }

  private callMs(): number {
    return Math.max(1, Math.min(CALL_MS, this.deadline.remainingMs() - MARGIN_MS));
  }

  private client<K extends keyof Clients>(service: K, ms: number): Promise<Made<K>> {
    let c = this.made.get(service) as Promise<Made<K>> | undefined;
    if (!c) {
      c = this.build(service, ms) as Promise<Made<K>>;
      this.made.set(service, c);
    }
    return c;
  }

  private async build(service: keyof Clients, ms: number): Promise<Made<keyof Clients>> {
    const router = new ProxyRouter(this.env);
    this.routers.set(service, router);
    // One retry for a throttled or dropped read; each attempt bounded by the step's time.
    const settings = {
      region: service === 'iam' ? iamRegionOf(this.partition) : this.region,
      maxAttempts: 2,
      requestHandler: this.handler(ms, router),
    };
    // The bundle turns these CommonJS modules into a namespace whose exports may sit on `default`.
    const make = async <S extends AwsSdks[keyof AwsSdks]>(load: Promise<S>, name: keyof S) => {
      const sdk = await loadCommonJs(load);
      const Ctor = sdk[name] as new (s: typeof settings) => Clients[keyof Clients];
      return { client: new Ctor(settings), sdk } as Made<keyof Clients>;
    };
    switch (service) {
      case 'iam':
        return make(import('@aws-sdk/client-iam'), 'IAMClient');
      case 'eks':
        return make(import('@aws-sdk/client-eks'), 'EKSClient');
      case 'rds':
        return make(import('@aws-sdk/client-rds'), 'RDSClient');
      case 'opensearch':
        return make(import('@aws-sdk/client-opensearch'), 'OpenSearchClient');
      case 'cloudtrail':
        return make(import('@aws-sdk/client-cloudtrail'), 'CloudTrailClient');
      case 'ec2':
        return make(import('@aws-sdk/client-ec2'), 'EC2Client');
      case 'sts':
        return make(import('@aws-sdk/client-sts'), 'STSClient');
    }
  }

  /** Frees the clients' sockets so the process can end. */
  async close(): Promise<void> {
    for (const c of this.made.values()) (await c.catch(() => undefined))?.client.destroy();
  }
}
