// `irsa-doctor audit --postgres/--opensearch`: the role's permissions on the exact Aurora/RDS resource and
// OpenSearch domain, against the loopback control plane (RDS, OpenSearch, IAM's SimulatePrincipalPolicy
// with the harness's own evaluator). One failure mode per test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuroraCluster, DbInstance, DbProxy } from '../harness/aws/rds-api.js';
import { type AuditStack, NS, runAudit, SA, startAuditStack } from '../support/audit-stack.js';

const args = ['-n', NS, '-s', SA];

describe('audit permissions: Aurora and RDS', () => {
  let s: AuditStack;
  let camunda: AuroraCluster;
  let noIam: AuroraCluster;
  let legacy: DbInstance;
  let proxy: DbProxy;
  const dbuser = (resourceId: string, user: string) =>
    `arn:aws:rds-db:${s.cp.region}:${s.cp.accountId}:dbuser:${resourceId}/${user}`;

  beforeAll(async () => {
    s = await startAuditStack();
    camunda = s.cp.rds.addAuroraCluster({
      identifier: 'camunda',
      instances: 2,
      customEndpoints: [{ name: 'analytics', type: 'READER' }],
    });
    noIam = s.cp.rds.addAuroraCluster({ identifier: 'reporting', iamAuth: false });
    legacy = s.cp.rds.addDbInstance({ identifier: 'legacy-pg', iamAuth: true });
    proxy = s.cp.rds.addDbProxy({ name: 'camunda-proxy' });
    s.stack.allow('rds-db:connect', [
      dbuser(camunda.resourceId, 'identity'),
      dbuser(legacy.resourceId, 'identity'),
      dbuser(proxy.arn.split(':').pop()!, 'identity'),
      dbuser(noIam.resourceId, 'identity'),
      // the classic: the cluster's name where its resource id belongs
      dbuser('camunda', 'keycloak'),
      // another database user than the one the workload logs in as
      dbuser(camunda.resourceId, 'operate'),
    ]);
  });
  afterAll(() => s?.close());

  const pg = (host: string, user = 'identity') => [...args, '--postgres', host, '--postgres-user', user];

  it('writer endpoint: finds the cluster and its resource id, and IAM allows rds-db:connect on it', async () => {
    const r = await runAudit(s, pg(`${camunda.endpoint}:5432`));
    expect(r.codes('audit-permissions')).toEqual(['RDS-TARGET:info', 'IAM-PERMISSION-OK:pass']);
    expect(r.finding('RDS-TARGET')?.details).toMatchObject({
      kind: 'cluster',
      endpointType: 'writer',
      identifier: 'camunda',
      resourceId: camunda.resourceId,
      iamAuth: true,
    });
    expect(r.finding('IAM-PERMISSION-OK')?.details).toMatchObject({
      action: 'rds-db:connect',
      resource: dbuser(camunda.resourceId, 'identity'),
      decision: 'allowed',
    });
  });
});
