import { expect } from 'vitest';
import type { LoadedIndex } from '../../src/index/loaded-index.ts';
import { retrieve } from '../../src/rag/retrieve.ts';
import { retrievalSupport, SUPPORT_THRESHOLD } from '../../src/rag/support.ts';
import { DEFAULT_K } from '../../src/http-contract.ts';
import { askExtractive } from './ask-extractive.ts';

/** Asserts that retrieval support alone would answer `question`: a decline of it is some check's doing. */
export async function expectRetrievalSupports(index: LoadedIndex, question: string): Promise<void> {
  const retrieval = await retrieve(index, { text: question }, DEFAULT_K);
  expect(retrievalSupport(retrieval.passages, retrieval.terms), 'support without the check').toBeGreaterThanOrEqual(
    SUPPORT_THRESHOLD,
  );
}

/**
 * Asserts that retrieval support alone would answer `question` and that the extractive
 * pipeline still declines it: so the check under test declines it, not low support.
 */
export async function expectDeclinedThoughSupported(index: LoadedIndex, question: string): Promise<void> {
  await expectRetrievalSupports(index, question);
  expect(await askExtractive(index, question)).toMatchObject({ support: 'none', grounded: false, citations: [] });
}

/**
 * Asserts that retrieval support alone would answer `question`, and that the extractive
 * pipeline still does not call it answered: it is `related`, opening with `opener` (what the
 * guide does not say), then the closest statements, cited. So the check under test decides
 * it, not low support.
 */
export async function expectRelatedThoughSupported(
  index: LoadedIndex,
  question: string,
  opener: string,
): Promise<void> {
  await expectRetrievalSupports(index, question);
  const response = await askExtractive(index, question);
  expect(response).toMatchObject({ support: 'related', grounded: true });
  expect(response.answer.startsWith(`${opener} The closest it gets:`), response.answer).toBe(true);
  expect(response.citations.length).toBeGreaterThan(0);
  expect(response.answer).toMatch(/\[1\]/);
}
