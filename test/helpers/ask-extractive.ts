import type { LoadedIndex } from '../../src/index/loaded-index.ts';
import { answerOnce } from '../../src/rag/answer-question.ts';
import type { AskResponse, ChatTurn } from '../../src/rag/types.ts';

/** One extractive answer from `index`, as POST /ask gives it with no model server. */
export function askExtractive(index: LoadedIndex, question: string, history: ChatTurn[] = []): Promise<AskResponse> {
  return answerOnce(index, { question, history }, { mode: 'extractive' });
}
