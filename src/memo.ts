/** Where `memoised` keeps values: a WeakMap (per loaded object) or a Map (per key a client sends). */
interface Memo<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): unknown;
}

/**
 * The value kept for `key`, computed and kept on first use. A loaded index, its chunks and
 * its documents never change, so what is derived from them is computed once per object
 * (in a WeakMap, so it goes when the generation does).
 */
export function memoised<K, V>(memo: Memo<K, V>, key: K, compute: (key: K) => V): V {
  let value = memo.get(key);
  if (value === undefined) {
    value = compute(key);
    memo.set(key, value);
  }
  return value;
}

/**
 * A Map that forgets everything once it holds `capacity` entries: memos keyed by what clients
 * send (question words) stay bounded, and the few keys that matter come back at once.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly capacity: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (this.size >= this.capacity && !this.has(key)) this.clear();
    return super.set(key, value);
  }
}
