import type { LoadedIndex } from '../../src/index/loaded-index.ts';
import { answerOnce } from '../../src/rag/answer-question.ts';
import type { ChatTurn, ComposedAnswer } from '../../src/rag/types.ts';

/**
 * One extractive answer from `index`, as POST /ask gives it with no model server, less its
 * id (fresh for every response), so that two answers can be compared whole.
 */
export async function askExtractive(
  index: LoadedIndex,
  question: string,
  history: ChatTurn[] = [],
): Promise<ComposedAnswer> {
  const { id: _id, ...answer } = await answerOnce(index, { question, history }, { mode: 'extractive' });
  return answer;
}
