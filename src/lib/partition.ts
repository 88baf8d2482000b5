/** The partition a region belongs to (REFERENCE section 5), by its name prefix. */
export function partitionOfRegion(region: string): string {
  const prefixes: Array<[string, string]> = [
    ['us-gov-', 'aws-us-gov'],
    ['cn-', 'aws-cn'],
    ['us-isob-', 'aws-iso-b'],
    ['us-isof-', 'aws-iso-f'],
    ['us-iso-', 'aws-iso'],
    ['eu-isoe-', 'aws-iso-e'],
    ['eusc-', 'aws-eusc'],
  ];
  return prefixes.find(([p]) => region.startsWith(p))?.[1] ?? 'aws';
}
