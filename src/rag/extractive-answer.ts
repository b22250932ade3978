import type { LoadedIndex } from '../index/loaded-index.ts';
import { citationFor } from './citations.ts';
import { composeAnswer, sameStatement } from './compose-answer.ts';
import { notSaidSentence, type OutcomeDecision } from './outcome.ts';
import type { Retrieval } from './retrieve.ts';
import type { ChatTurn, ComposedAnswer, RetrievalQuery } from './types.ts';

/**
 * The offline answer: the guide's own statements, composed (compose-answer.ts). A `related`
 * answer opens with one plain sentence saying what the guide does not say, then gives the
 * closest statements. In a conversation nothing said before is said again; when the guide
 * has nothing new to add, the answer says so and points to the section.
 */
export function extractiveAnswer(
  index: LoadedIndex,
  query: RetrievalQuery,
  retrieval: Retrieval,
  decision: OutcomeDecision,
  history: ChatTurn[] = [],
): ComposedAnswer | null {
  const alreadySaid = saidBefore(history);
  const composition = composeAnswer(index, {
    question: query.text,
    ...(query.context === undefined ? {} : { context: query.context }),
    passages: retrieval.passages,
    terms: retrieval.terms,
    queryVector: retrieval.localQueryVector,
    alreadySaid,
    closestOnly: decision.support === 'related',
  });
  if (!composition) return alreadySaid ? nothingNew(index, retrieval, decision) : null;
  const opener = decision.support === 'related' ? `${notSaidSentence(decision)} The closest it gets:\n\n` : '';
  return {
    answer: opener + composition.markdown,
    grounded: true,
    support: decision.support,
    mode: 'extractive',
    citations: composition.citations,
  };
}

/** What the assistant already said in this conversation, normalised for comparison (empty when nothing). */
function saidBefore(history: ChatTurn[]): string {
  return history
    .filter((turn) => turn.role === 'assistant')
    .map((turn) => sameStatement(turn.content))
    .join('\n');
}

/** The guide has nothing to add: say so, and point to the section it all came from. */
function nothingNew(index: LoadedIndex, retrieval: Retrieval, decision: OutcomeDecision): ComposedAnswer | null {
  const top = retrieval.passages[0];
  if (!top) return null;
  const citation = citationFor(top, 1, index.documents.get(top.chunk.document));
  return {
    answer: `The guide has nothing to add to what it said above; it is all in **${citation.section}**. [1]`,
    grounded: true,
    support: decision.support,
    mode: 'extractive',
    citations: [citation],
  };
}
