// A Camunda 8 deployment on the loopback EKS: the chart emulator's objects (Helm release Secrets,
// workloads, ConfigMaps, ServiceAccounts) in the Kubernetes API, and for runs with pods the AWS side
// the components use: Aurora (PostgreSQL behind the RDS IAM front door) with one IAM user per
// component, an OpenSearch domain with fine-grained access control, and one IAM role per component
// trusted for its ServiceAccount, as Camunda's IRSA guide sets them up.
import { fileURLToPath } from 'node:url';
import { statusesOf } from '../../src/report/catalog/define.js';
import { specOf } from '../../src/report/catalog/index.js';
import { ignoredStatus } from '../../src/report/ignore-findings.js';
import type { CamundaComponentEntry, CamundaDocument } from '../../src/report/render/camunda.js';
import type { Finding } from '../../src/report/types.js';
import {
  type CamundaFixture,
  type CamundaFixtureOptions,
  camundaFixture,
} from '../harness/camunda/camunda-fixture.js';
import type { Line } from '../harness/camunda/chart-defaults.js';
import { role } from '../harness/camunda/irsa-values.js';
import type { K8sObject } from '../harness/camunda/render-support.js';
import type { PolicyDocument } from '../harness/iam.js';
import type { KubeApiOptions } from '../harness/kube-api.js';
import type { Resource } from '../harness/kube-api-store.js';
import { type OpenSearchServer, startOpenSearch } from '../harness/opensearch.js';
import { type RdsStack, startRdsStack } from '../harness/rds-stack.js';
import { type AuditStack, startAuditStack } from './audit-stack.js';
import { camundaSchemaErrors } from './report-schema.js';
import { spawnCapture } from './spawn-capture.js';

const CLI = fileURLToPath(new URL('../../dist/irsa-doctor.mjs', import.meta.url));

/** The database user and database each Aurora role of the fixture logs in as. */
export const AURORA_USERS: Record<string, { user: string; database: string }> = {
  'camunda-identity-aurora': { user: 'identity_irsa', database: 'identity' },
  'camunda-keycloak-aurora': { user: 'keycloak_irsa', database: 'keycloak' },
  'camunda-webmodeler-aurora': { user: 'modeler_irsa', database: 'modeler' },
};
export const OPENSEARCH_ROLE = 'camunda-opensearch';

export interface CamundaWorld {
  s: AuditStack;
  /** With pods only: the Aurora and OpenSearch the components log in to. */
  rds?: RdsStack;
  search?: OpenSearchServer;
  /** Fixture options that point the chart's values at this world's Aurora and OpenSearch. */
  endpoints?: NonNullable<CamundaFixtureOptions['endpoints']>;
  close(): Promise<void>;
}

export async function startCamundaWorld(
  o: {
    pods?: boolean;
    nodes?: KubeApiOptions['nodes'];
    /** the built CLI the kubelet runs (a bundled caller, such as the bench, says where it is) */
    cli?: string;
  } = {},
): Promise<CamundaWorld> {
  const s = await startAuditStack({
    kubelet: o.pods === true,
    // A node group set up as EKS recommends (IMDSv2 only, hop limit 1): the pods cannot reach the node role.
    eks: { imdsMode: 'hop-limit-v1-disabled' },
    ...(o.nodes ? { nodes: o.nodes } : {}),
    ...(o.cli ? { cli: o.cli } : {}),
  });
  if (!o.pods) return { s, close: () => s.close() };
  const closers: Array<() => Promise<void>> = [() => s.close()];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c().catch(() => {});
  };
  try {
    const cert = await s.stack.ca.issue(['127.0.0.1', 'localhost']);
    const rds = await startRdsStack({ iam: s.stack.iam, tls: cert, region: s.stack.region });
    closers.push(() => rds.close());
    for (const { user, database } of Object.values(AURORA_USERS)) {
      await rds.postgres.createIamUser(user, { rdsIam: true });
      await rds.postgres.createDatabase(database);
      await rds.postgres.query(`GRANT CONNECT, CREATE ON DATABASE ${database} TO ${user}`);
    }
    const search = await startOpenSearch({
      iam: s.stack.iam,
      region: s.stack.region,
      accountId: s.stack.iam.accountId,
      tls: cert,
      fgac: { enabled: true, roleMappings: { all_access: { backend_roles: [role(OPENSEARCH_ROLE)] } } },
    });
    closers.push(() => search.close());
    const [auroraHost, auroraPort] = rds.frontDoor.endpoint.split(':');
    // What the audit reads from RDS and OpenSearch describes these very endpoints.
    const resourceId = rds.policyResource('x').split(':').pop()!.split('/')[0]!;
    s.cp.rds.addAuroraCluster({
      identifier: 'camunda-aurora',
      resourceId,
      endpoint: auroraHost!,
      port: Number(auroraPort),
    });
    const domainArn = `arn:aws:es:${s.stack.region}:${s.stack.iam.accountId}:domain/camunda`;
    s.cp.openSearch.addDomain({
      name: 'camunda',
      endpoint: search.host,
      accessPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: role(OPENSEARCH_ROLE) },
            Action: 'es:ESHttp*',
            Resource: `${domainArn}/*`,
          },
        ],
      },
      fgac: { enabled: true },
    });
    return {
      s,
      rds,
      search,
      endpoints: {
        aurora: { host: auroraHost!, port: Number(auroraPort) },
        opensearch: { host: search.host, port: search.port },
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

const RESOURCE: Record<string, Resource> = {
  Secret: 'secrets',
  ConfigMap: 'configmaps',
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  ServiceAccount: 'serviceaccounts',
};

/**
 * The chart's objects in a namespace of their own (each scenario its own: roles trust per namespace),
 * and for every annotated ServiceAccount its role, trusted for it and allowed what the guide allows.
 */
export function install(
  w: CamundaWorld,
  line: Line,
  opts: CamundaFixtureOptions & { namespace: string },
): CamundaFixture {
  const f = camundaFixture(line, { ...(w.endpoints ? { endpoints: w.endpoints } : {}), ...opts });
  if (!w.s.api.store.find('namespaces', undefined, f.namespace)) w.s.api.addNamespace(f.namespace);
  for (const obj of f.all) put(w, obj);
  for (const sa of f.serviceAccounts) {
    const arn = sa.metadata.annotations?.['eks.amazonaws.com/role-arn'];
    if (arn) trust(w, arn, f.namespace, sa.metadata.name);
  }
  return f;
}

/** One more object (a hand-made workload, a drifted ServiceAccount), or a replacement. */
export function put(w: CamundaWorld, obj: K8sObject): void {
  const r = RESOURCE[obj.kind];
  if (!r) return;
  const ns = obj.metadata.namespace;
  if (w.s.api.store.find(r, ns, obj.metadata.name)) w.s.api.store.delete(r, ns, obj.metadata.name);
  w.s.api.store.create(r, structuredClone(obj));
}

export function remove(w: CamundaWorld, kind: string, namespace: string, name: string): void {
  const r = RESOURCE[kind];
  if (r && w.s.api.store.find(r, namespace, name)) w.s.api.store.delete(r, namespace, name);
}

/** The role (created on first use) trusts system:serviceaccount:NS:SA and may do what its name says. */
function trust(w: CamundaWorld, arn: string, namespace: string, serviceAccount: string): void {
  const { iam, issuer } = w.s.stack;
  const host = issuer.issuerHost;
  const sub = `system:serviceaccount:${namespace}:${serviceAccount}`;
  let r = iam.getRole(arn);
  if (!r) {
    const name = arn.slice(arn.lastIndexOf('/') + 1);
    const aurora = AURORA_USERS[name];
    const policies: PolicyDocument[] = [];
    if (aurora && w.rds)
      policies.push({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'rds-db:connect', Resource: w.rds.policyResource(aurora.user) },
        ],
      });
    if (name === OPENSEARCH_ROLE)
      policies.push({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'es:ESHttp*',
            Resource: `arn:aws:es:${w.s.stack.region}:${iam.accountId}:domain/camunda/*`,
          },
        ],
      });
    r = iam.addRole({
      arn,
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: iam.oidcProviderArn(host) },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: { [`${host}:sub`]: [] as string[], [`${host}:aud`]: 'sts.amazonaws.com' },
            },
          },
        ],
      },
      policies,
    });
  }
  const cond = (
    r.trustPolicy.Statement as unknown as Array<{ Condition: { StringEquals: Record<string, string[]> } }>
  )[0]!.Condition.StringEquals;
  const subs = cond[`${host}:sub`]!;
  if (!subs.includes(sub)) subs.push(sub);
}

export interface CamundaRun {
  code: number | null;
  stdout: string;
  stderr: string;
  doc: CamundaDocument;
  component(name: string): CamundaComponentEntry;
  /** `CODE:status` of a component's Camunda-side findings (or the deployment's, without a name). */
  codes(name?: string): string[];
  /** `CODE:status` of every finding in a component's report (optionally of one check). */
  reportCodes(name: string, checkId?: string): string[];
}

export interface SpawnOptions {
  /** The operator's AWS credentials and endpoints (the control plane's env): the audit then runs. */
  aws?: boolean;
  env?: Record<string, string>;
}

/** `irsa-doctor ARGS` with only the kubeconfig, PATH and HOME (and with `aws`, the control plane's env). */
export function spawnCli(w: CamundaWorld, args: string[], o: SpawnOptions = {}) {
  return spawnCapture(process.execPath, [CLI, ...args], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: w.s.dir,
      KUBECONFIG: w.s.kubeconfig,
      ...(o.aws ? w.s.cp.env : {}),
      ...o.env,
    },
    killAfterMs: 180_000,
  });
}

/** `irsa-doctor camunda -o json ...`: the document checked against docs/camunda.schema.json and the catalog. */
export async function runCamunda(w: CamundaWorld, args: string[], o: SpawnOptions = {}): Promise<CamundaRun> {
  const r = await spawnCli(w, ['camunda', '-o', 'json', ...args], o);
  let doc: CamundaDocument;
  try {
    doc = JSON.parse(r.stdout) as CamundaDocument;
  } catch {
    throw new Error(`camunda printed no JSON (exit ${r.code}).\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
  const errors = camundaSchemaErrors(doc);
  if (errors.length) throw new Error(`the document violates docs/camunda.schema.json:\n${errors.join('\n')}`);
  const every: Finding[] = [
    ...doc.findings,
    ...doc.components.flatMap((c) => [...c.findings, ...(c.report?.checks.flatMap((k) => k.findings) ?? [])]),
  ];
  // A finding the user ignored (--ignore) is info now; the catalog allows the status it had.
  const offCatalog = every.filter(
    (f) => !specOf(f.code) || !statusesOf(specOf(f.code)!).includes(ignoredStatus(f) ?? f.status),
  );
  if (offCatalog.length)
    throw new Error(
      `findings the catalog does not allow: ${offCatalog.map((f) => `${f.code}:${f.status}`).join(', ')}`,
    );
  const component = (name: string) => {
    const c = doc.components.find((x) => x.name === name);
    if (!c) throw new Error(`no component ${name} in: ${doc.components.map((x) => x.name).join(', ')}`);
    return c;
  };
  return {
    ...r,
    doc,
    component,
    codes: (name) =>
      (name === undefined ? doc.findings : component(name).findings).map((f) => `${f.code}:${f.status}`),
    reportCodes: (name, checkId) =>
      (component(name).report?.checks ?? [])
        .filter((c) => checkId === undefined || c.id === checkId)
        .flatMap((c) => c.findings.map((f) => `${f.code}:${f.status}`)),
  };
}
