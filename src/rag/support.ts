import type { Passage } from './types.ts';

/**
 * Retrieval support: how well the best passage backs the question, from its cosine
 * similarity and the share of the question's IDF-weighted terms it contains. Both are
 * absolute (unlike fused ranks), so one threshold works for any question.
 */
export function retrievalSupport(passages: Passage[]): number {
  let best = 0;
  for (const p of passages.slice(0, 3)) best = Math.max(best, 0.5 * p.vectorScore + 0.5 * p.coverage);
  return best;
}

/**
 * Below this support the assistant abstains. Calibrated with `npm run eval -- --calibrate`
 * on eval/questions.jsonl (answerable and not-covered questions), not by hand: it is the
 * midpoint of the widest gap that maximises abstention F1 there.
 */
export const SUPPORT_THRESHOLD = 0.3;
