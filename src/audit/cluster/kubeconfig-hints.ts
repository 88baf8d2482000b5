/**
 * The cluster name and region an EKS kubeconfig names in its exec plugin, wherever they stand among the
 * arguments: `aws eks get-token --cluster-name X --region R` (what `aws eks update-kubeconfig` writes),
 * `aws-iam-authenticator token -i X`, or `--cluster-id X`.
 */
export function clusterHintsOfExec(args: readonly string[] | undefined): {
  cluster?: string;
  region?: string;
} {
  const out: { cluster?: string; region?: string } = {};
  const a = args ?? [];
  for (let i = 0; i < a.length; i++) {
    const [flag, inline] = a[i]!.includes('=')
      ? [a[i]!.slice(0, a[i]!.indexOf('=')), a[i]!.slice(a[i]!.indexOf('=') + 1)]
      : [a[i]!, undefined];
    const value = inline ?? a[i + 1];
    if (value === undefined) continue;
    if (flag === '--cluster-name' || flag === '--cluster-id' || flag === '-i') out.cluster ??= value;
    if (flag === '--region') out.region ??= value;
  }
  return out;
}

/** EKS API server hosts name their region: ABCDEF.gr7.eu-west-1.eks.amazonaws.com. */
export function regionOfEksServer(server: string): string | undefined {
  try {
    return /\.([a-z]{2,4}(?:-[a-z]+)+-\d{1,2})\.eks\.amazonaws\.com(?:\.cn)?$/.exec(
      new URL(server).hostname,
    )?.[1];
  } catch {
    return undefined;
  }
}
