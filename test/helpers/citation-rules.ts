import type { AskResponse } from '../../src/rag/types.ts';

/** The `[n]` markers of an answer, in order. */
export const markers = (answer: string): number[] => [...answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));

/**
 * The contract's numbering rules (DESIGN.md): ids run 1..n, every [n] in the answer has a
 * citation, every citation is referred to. Returns the problems rather than asserting, so a
 * failing test shows them all. Pure, for the Node and workerd suites alike.
 */
export function numberingProblems(response: AskResponse): string[] {
  const problems: string[] = [];
  const ids = response.citations.map((c) => c.id);
  if (ids.join(',') !== ids.map((_, i) => i + 1).join(','))
    problems.push(`ids are ${ids.join(',')}, expected 1..${ids.length}`);
  const used = new Set(markers(response.answer));
  for (const n of used) if (!ids.includes(n)) problems.push(`[${n}] in the answer has no citation`);
  for (const id of ids) if (!used.has(id)) problems.push(`citation ${id} is not referred to in the answer`);
  return problems;
}
