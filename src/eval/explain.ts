import type { LoadedIndex } from '../index/loaded-index.ts';
import { DEFAULT_K } from '../http-contract.ts';
import { retrieveAndDecide } from '../rag/answer-question.ts';
import { asksToOverrideInstructions } from '../rag/instruction-override.ts';
import { isAsked } from '../rag/query-terms.ts';
import type { ChatTurn } from '../rag/types.ts';

/**
 * Why a question gets the outcome it gets, in one readable block (`npm run eval -- --explain`):
 * each word of the question model with its evidence in the corpus and its role in the
 * question, then the outcome and the rule that decided it.
 *
 *   q42 "Is product management a realistic next step for a consultant?"
 *     product word/topic · management word/topic · realistic related/topic, qualifier (not asked)
 *     · next related/topic · step word/topic · consultant word/topic
 *     -> answered: supported (support 0.268, on-topic support 0.518)
 */
export async function explainQuestion(
  index: LoadedIndex,
  id: string,
  question: string,
  history: ChatTurn[] = [],
): Promise<string> {
  if (asksToOverrideInstructions(question))
    return `  ${id} ${JSON.stringify(question)}\n    -> none: asks to override the assistant's instructions`;
  const { query, retrieval, decision } = await retrieveAndDecide(index, { question, history }, DEFAULT_K);
  const words = retrieval.terms.map((t) => {
    const notes = [
      t.modifier ? 'modifier' : t.qualifier ? 'qualifier' : '',
      isAsked(t) ? '' : 'not asked',
      t.weight > 1 ? `weight ${t.weight}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    return `${t.word} ${t.evidence}/${t.role}${notes ? ` (${notes})` : ''}`;
  });
  const scores = `support ${decision.score.toFixed(3)}, on-topic support ${decision.relatedScore.toFixed(3)}`;
  return [
    `  ${id} ${JSON.stringify(question)}${query.context ? ` (carrying ${JSON.stringify(query.context)})` : ''}`,
    `    ${words.join(' · ') || '(no content words)'}`,
    `    -> ${decision.support}: ${decision.reason} (${scores})`,
  ].join('\n');
}
