// The loopback world every benchmark runs against, started once per bench run: a healthy EKS
// identity stack, Aurora behind the RDS front door, an OpenSearch domain with FGAC mapping the role
// (wired as scripts/demo.ts does), and one blackhole per endpoint kind so each can be counted.
// Three IMDS flavours: the stack's requires IMDSv2 and answers it (hop limit 2, the EKS managed node
// group default; every endpoint answers, so runs measure the agent's own cost), and a hardened
// node's (hop limit 1, IMDSv1 off) where the token PUT is never answered, which is what a healthy
// pod on a locked-down node really waits for. A third node has nothing on the metadata port at all
// (connections refused), the healthy run as issue 13 words it.
import { type AddressInfo, createServer } from 'node:net';
import { startCamundaStack } from '../test/harness/camunda-stack.js';
import type { EksStack } from '../test/harness/eks-stack.js';
import { type ImdsEmulator, startImds } from '../test/harness/imds.js';
import { type Blackhole, startBlackhole } from '../test/harness/net-fixtures.js';
import type { OpenSearchServer } from '../test/harness/opensearch.js';
import type { RdsStack } from '../test/harness/rds-stack.js';

export const HOLE_KINDS = ['sts', 'imds', 'oidc', 'postgres', 'opensearch'] as const;
export type HoleKind = (typeof HOLE_KINDS)[number];

export interface BenchHarness {
  eks: EksStack;
  rds: RdsStack;
  search: OpenSearchServer;
  holes: Record<HoleKind, Blackhole>;
  /** env of a correctly mutated camunda/zeebe-sa pod */
  healthyEnv: Record<string, string>;
  /** the same pod on a hardened node: the IMDSv2 token PUT dies at the hop limit, IMDSv1 is off */
  hardenedNodeEnv: Record<string, string>;
  /** The healthy pod on a node whose IMDS port refuses connections (nothing listens there). */
  imdsRefusedEnv: Record<string, string>;
  /** the same pod, but STS, IMDS and the token's OIDC issuer all lead into blackholes */
  blackholedEnv: Record<string, string>;
  /** agent flags: Aurora login as zeebe (verify-full with the harness CA) */
  postgresArgs(endpoint?: string): string[];
  opensearchArgs(url?: string): string[];
  hostPort(kind: HoleKind): string;
  close(): Promise<void>;
}

export async function startBenchHarness(): Promise<BenchHarness> {
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c().catch(() => {});
  };
  try {
    const camunda = await startCamundaStack({ imdsMode: 'v2-only' });
    closers.push(() => camunda.close());
    const { eks, rds, search } = camunda;

    const hardenedImds: ImdsEmulator = await startImds({
      iam: eks.iam,
      nodeRoleArn: eks.nodeRoleArn,
      mode: 'hop-limit-v1-disabled',
      region: eks.region,
    });
    closers.push(() => hardenedImds.close());
    const holes = {} as Record<HoleKind, Blackhole>;
    for (const kind of HOLE_KINDS) {
      holes[kind] = await startBlackhole();
      closers.push(() => holes[kind].close());
    }
    const hostPort = (kind: HoleKind) => `${holes[kind].host}:${holes[kind].port}`;
    const pod = { namespace: 'camunda', serviceAccount: 'zeebe-sa' };
    const healthyEnv = await eks.podEnv(pod);
    const hardenedNodeEnv = await eks.podEnv({
      ...pod,
      extra: { AWS_EC2_METADATA_SERVICE_ENDPOINT: hardenedImds.url },
    });
    const imdsRefusedEnv = await eks.podEnv({
      ...pod,
      extra: { AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${await refusedPort()}` },
    });
    const blackholedEnv = await eks.podEnv({
      ...pod,
      tokenOpts: { issuer: `https://${hostPort('oidc')}/id/BLACKHOLE` },
      extra: {
        AWS_ENDPOINT_URL_STS: `https://${hostPort('sts')}`,
        AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://${hostPort('imds')}`,
      },
    });
    return {
      eks,
      rds,
      search,
      holes,
      healthyEnv,
      hardenedNodeEnv,
      imdsRefusedEnv,
      blackholedEnv,
      postgresArgs: (endpoint = rds.frontDoor.endpoint) => [
        '--postgres',
        endpoint,
        '--postgres-user',
        'zeebe',
        '--postgres-database',
        'camunda',
        '--postgres-ca',
        eks.ca.caFile,
      ],
      opensearchArgs: (url = search.url) => ['--opensearch', url],
      hostPort,
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/** A loopback port nothing listens on (bound, then closed), so a connection to it is refused at once. */
async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
