/**
 * Loads a CommonJS package on demand. Depending on the loader (Node, vitest, an esbuild chunk), its
 * exports sit on the module namespace or only on `default`; this returns whichever holds them.
 */
export async function loadCommonJs<T extends object>(load: Promise<T>): Promise<T> {
  const ns = await load;
  const d = (ns as { default?: unknown }).default;
  return (d && typeof d === 'object' ? d : ns) as T;
}
