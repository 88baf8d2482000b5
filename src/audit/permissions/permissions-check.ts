import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { AuditCheck } from '../audit-check.js';
import { openSearchFindings } from './opensearch-permission.js';
import { permissionRole } from './permission-role.js';
import { postgresFindings } from './postgres-permission.js';

/**
 * May the ServiceAccount's role use the exact Aurora/RDS resource and OpenSearch domain the workload
 * names? Each endpoint is found among the region's resources; IAM simulates the role's identity
 * policies on the exact resource ARN; a domain access policy is judged with them as OpenSearch does.
 */
export const permissionsCheck: AuditCheck = {
  id: 'audit-permissions',
  title: 'Permissions on the exact Aurora and OpenSearch resources',
  async run(ctx) {
    const { postgres, postgresUser, opensearch } = ctx.sweep.options;
    if (postgres.length === 0 && opensearch.length === 0)
      return [
        finding(
          'PERMISSIONS-SKIPPED',
          'No target to check permissions on: pass --postgres HOST[:PORT] with --postgres-user USER, or --opensearch URL.',
        ),
      ];
    const role = await permissionRole(ctx);
    const out: Finding[] = [];
    if (role.state === 'none')
      out.push(
        finding(
          'PERMISSIONS-SKIPPED',
          `No permission was simulated: ${role.why}; the endpoints were still looked up.`,
        ),
      );
    // Each finding says which endpoint it is about: --postgres and --opensearch repeat.
    const about = (target: string) => (list: Finding[]) =>
      list.map((f) => ({ ...f, details: { ...f.details, target } }));
    const perTarget = await Promise.all([
      ...postgres.map((p) => postgresFindings(ctx, p, postgresUser ?? '', role).then(about(p))),
      ...opensearch.map((o) => openSearchFindings(ctx, o, role).then(about(o))),
    ]);
    return [...out, ...perTarget.flat()];
  },
};
