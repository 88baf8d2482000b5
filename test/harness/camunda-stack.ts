import { type EksStack, type EksStackOptions, startEksStack } from './eks-stack.js';
import { type OpenSearchServer, startOpenSearch } from './opensearch.js';
import { type RdsStack, startRdsStack } from './rds-stack.js';

/**
 * A Camunda 8 deployment's AWS side as the Camunda guide sets it up: the IRSA role may connect to
 * Aurora as `zeebe` and call the OpenSearch domain, whose fine-grained access control maps the role
 * to all_access. Shared by the demo, the benchmarks and the leak test.
 */
export interface CamundaStack {
  eks: EksStack;
  rds: RdsStack;
  search: OpenSearchServer;
  /** agent flags for an Aurora IAM login as `user` (default zeebe) to database camunda */
  postgresArgs(user?: string): string[];
  opensearchArgs(): string[];
  close(): Promise<void>;
}

export interface CamundaStackOptions extends EksStackOptions {
  /** FGAC role mappings; default maps the IRSA role to all_access */
  roleMappings?: Record<string, { backend_roles?: string[]; users?: string[] }>;
}

export async function startCamundaStack(opts: CamundaStackOptions = {}): Promise<CamundaStack> {
  const eks = await startEksStack(opts);
  const closers: Array<() => Promise<void>> = [() => eks.close()];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c().catch(() => {});
  };
  try {
    const cert = await eks.ca.issue(['127.0.0.1', 'localhost']);
    const rds = await startRdsStack({ iam: eks.iam, tls: cert, region: eks.region });
    closers.push(() => rds.close());
    const search = await startOpenSearch({
      iam: eks.iam,
      region: eks.region,
      accountId: eks.iam.accountId,
      tls: cert,
      fgac: {
        enabled: true,
        roleMappings: opts.roleMappings ?? { all_access: { backend_roles: [eks.roleArn] } },
      },
    });
    closers.push(() => search.close());
    eks.allow('rds-db:connect', rds.policyResource('zeebe'));
    eks.allow('es:ESHttp*', `arn:aws:es:${eks.region}:${eks.iam.accountId}:domain/camunda/*`);
    return {
      eks,
      rds,
      search,
      postgresArgs: (user = 'zeebe') => [
        '--postgres',
        rds.frontDoor.endpoint,
        '--postgres-user',
        user,
        '--postgres-database',
        'camunda',
        '--postgres-ca',
        eks.ca.caFile,
      ],
      opensearchArgs: () => ['--opensearch', search.url],
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
