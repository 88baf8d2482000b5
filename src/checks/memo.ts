/** Computes once per key, then hands out the same promise: what facts are memoised in. */
export type Memo = <T>(key: symbol | string, compute: () => Promise<T>) => Promise<T>;

export function createMemo(): Memo {
  const memo = new Map<symbol | string, Promise<unknown>>();
  return <T>(key: symbol | string, compute: () => Promise<T>): Promise<T> => {
    let p = memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = compute();
      memo.set(key, p);
    }
    return p;
  };
}
