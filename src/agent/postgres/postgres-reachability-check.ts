import { directRoute } from '../../lib/proxy/proxy-route.js';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { Check } from '../check.js';
import { withPath } from '../net/path-findings.js';
import { probeFindings } from '../net/probe-findings.js';
import { parsePostgresTarget } from './parse-postgres-target.js';
import { postgresProbe, postgresTls, tlsCaDetail, tlsCaText } from './postgres-probe.js';

/** DNS, TCP and TLS to each --postgres endpoint: what the nmap job of aws-irsa.sh answered, without nmap. */
export const postgresReachabilityCheck: Check = {
  id: 'postgres-reachability',
  title: 'Aurora/RDS PostgreSQL endpoint reachable (DNS, TCP, TLS)',
  sdkFree: true,
  async run(ctx) {
    if (ctx.options.postgres.length === 0) {
      return [finding('PG-NOT-CONFIGURED', 'No --postgres endpoint given; reachability not probed.')];
    }
    const perTarget = await Promise.all(
      ctx.options.postgres.map(async (raw): Promise<Finding[]> => {
        const parsed = parsePostgresTarget(raw);
        // The login check fails on unparsable targets; here it is a skip, so the check does not read as a pass.
        if (!parsed.ok)
          return [
            finding('PG-TARGET-INVALID', `--postgres "${raw}" was not probed: ${parsed.problem}.`, {
              status: 'skip',
              details: { raw },
            }),
          ];
        const [probe, tls] = await Promise.all([
          postgresProbe(ctx, parsed.target),
          postgresTls(ctx, parsed.target),
        ]);
        const route = directRoute(ctx.env, 'not-http', `${parsed.target.host}:${parsed.target.port}`);
        const found = probeFindings(probe, {
          service: 'PostgreSQL',
          verifyTls: tls.verify,
          trustedBy: tlsCaText(tls),
        }).map((f) => ({ ...f, details: { ...f.details, tlsCa: tlsCaDetail(tls) } }));
        return withPath(found, route);
      }),
    );
    return perTarget.flat();
  },
};
