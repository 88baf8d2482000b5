import { warn } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { AgentContext } from '../context.js';
import type { SharedConfigFacts } from '../facts/shared-config.js';

type Env = AgentContext['env'];

// Partition-qualified region names: eu-west-1, us-gov-west-1, cn-north-1, us-isob-east-1, eusc-de-east-1.
const REGION_RE = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

export interface Region {
  value?: string;
  source?: 'flag' | 'AWS_REGION' | 'AWS_DEFAULT_REGION' | 'profile';
}

/** The region this run signs for (--region first, then what the SDK reads) and where it came from. */
export function resolveRegion(ctx: AgentContext, shared: SharedConfigFacts): Region {
  if (ctx.options.region) return { value: ctx.options.region, source: 'flag' };
  if (ctx.env.AWS_REGION) return { value: ctx.env.AWS_REGION, source: 'AWS_REGION' };
  if (ctx.env.AWS_DEFAULT_REGION) return { value: ctx.env.AWS_DEFAULT_REGION, source: 'AWS_DEFAULT_REGION' };
  if (shared.region) return { value: shared.region, source: 'profile' };
  return {};
}

export function regionFindings(region: Region, env: Env): Finding[] {
  if (!region.value)
    return [
      warn(
        'ENV-REGION-MISSING',
        "No region: AWS_REGION, AWS_DEFAULT_REGION, --region and the profile's region are all unset. EKS's managed webhook sets AWS_REGION and AWS_DEFAULT_REGION when it injects IRSA, so this often goes with missing injection.",
        "Set the region on the container: kubectl set env deployment/NAME -n NAMESPACE AWS_REGION=REGION (SDK clients otherwise fail with 'Region is missing' or call STS's global endpoint).",
      ),
    ];
  const out: Finding[] = [];
  if (!REGION_RE.test(region.value))
    out.push(
      warn(
        'ENV-REGION-INVALID',
        `Region "${region.value}" (from ${region.source}) is not an AWS region name${/\d[a-z]$/.test(region.value) ? '; it looks like an availability zone' : ''}.`,
        `Set ${region.source === 'flag' ? '--region' : (region.source ?? 'AWS_REGION')} to a region name such as ${region.value.replace(/(\d)[a-z]$/, '$1')}.`,
        { region: region.value, source: region.source },
      ),
    );
  if (region.source === 'AWS_DEFAULT_REGION' && !env.AWS_REGION)
    out.push(
      warn(
        'ENV-REGION-DEFAULT-ONLY',
        'Only AWS_DEFAULT_REGION is set; the AWS SDKs for JavaScript v3 and Java v2 read AWS_REGION and will not see it.',
        `Also set AWS_REGION=${env.AWS_DEFAULT_REGION} on the container (kubectl set env deployment/NAME -n NAMESPACE AWS_REGION=${env.AWS_DEFAULT_REGION}).`,
        { AWS_DEFAULT_REGION: env.AWS_DEFAULT_REGION },
      ),
    );
  return out;
}
