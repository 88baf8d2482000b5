import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { AgentContext } from '../context.js';
import { fact } from '../fact.js';
import { sharedConfig } from './shared-config.js';

type Env = AgentContext['env'];

// Partition-qualified region names: eu-west-1, us-gov-west-1, cn-north-1, us-isob-east-1, eusc-de-east-1.
const REGION_RE = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

export interface Region {
  value?: string;
  source?: 'flag' | 'AWS_REGION' | 'AWS_DEFAULT_REGION' | 'profile';
}

/**
 * The region this run signs for: --region first, then what the SDK reads (AWS_REGION,
 * AWS_DEFAULT_REGION, the selected profile's region), and where it came from.
 */
export const region = fact('region', async (ctx): Promise<Region> => {
  if (ctx.options.region) return { value: ctx.options.region, source: 'flag' };
  if (ctx.env.AWS_REGION) return { value: ctx.env.AWS_REGION, source: 'AWS_REGION' };
  if (ctx.env.AWS_DEFAULT_REGION) return { value: ctx.env.AWS_DEFAULT_REGION, source: 'AWS_DEFAULT_REGION' };
  const shared = await sharedConfig(ctx);
  if (shared.region) return { value: shared.region, source: 'profile' };
  return {};
});

export function regionFindings(r: Region, env: Env, fix: { namespace?: string }): Finding[] {
  if (!r.value)
    return [
      finding(
        'ENV-REGION-MISSING',
        "No region: AWS_REGION, AWS_DEFAULT_REGION, --region and the profile's region are all unset. EKS's managed webhook sets AWS_REGION and AWS_DEFAULT_REGION when it injects IRSA, so this often goes with missing injection.",
        { fix },
      ),
    ];
  const out: Finding[] = [];
  if (!REGION_RE.test(r.value))
    out.push(
      finding(
        'ENV-REGION-INVALID',
        `Region "${r.value}" (from ${r.source}) is not an AWS region name${/\d[a-z]$/.test(r.value) ? '; it looks like an availability zone' : ''}.`,
        {
          fix: {
            setting:
              r.source === 'flag' ? '--region' : r.source === 'profile' ? 'the profile region' : r.source,
            suggestion: /\d[a-z]$/.test(r.value) ? r.value.replace(/(\d)[a-z]$/, '$1') : undefined,
          },
          details: { region: r.value, source: r.source },
        },
      ),
    );
  if (r.source === 'AWS_DEFAULT_REGION' && !env.AWS_REGION)
    out.push(
      finding(
        'ENV-REGION-DEFAULT-ONLY',
        'Only AWS_DEFAULT_REGION is set; the AWS SDKs for JavaScript v3 and Java v2 read AWS_REGION and will not see it.',
        {
          fix: { ...fix, region: env.AWS_DEFAULT_REGION },
          details: { AWS_DEFAULT_REGION: env.AWS_DEFAULT_REGION },
        },
      ),
    );
  return out;
}
