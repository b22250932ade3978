import { AppError } from '../errors.ts';
import type { LoadedIndex } from '../index/loaded-index.ts';

/** Where the generation being served comes from: a watched folder on Node, a bundle on Workers. */
export interface IndexSource {
  current(): LoadedIndex | null;
}

/** The generation being served, or the contract's 503 when there is none yet. */
export function requireIndex(source: IndexSource): LoadedIndex {
  const index = source.current();
  if (!index) throw new AppError('index_unavailable');
  return index;
}
