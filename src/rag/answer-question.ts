import type { AnswerMode } from '../config.ts';
import { AppError } from '../errors.ts';
import type { LoadedIndex } from '../index/loaded-index.ts';
import { citationFor } from './citations.ts';
import { condenseExtractive } from './condense.ts';
import { extractiveAnswer } from './extractive-answer.ts';
import { condenseWithModel, llmAnswer, type LlmDeps } from './llm-answer.ts';
import { notCoveredAnswer } from './not-covered.ts';
import { retrieve } from './retrieve.ts';
import { retrievalSupport, SUPPORT_THRESHOLD } from './support.ts';
import type { AskEvent, AskResponse, ChatTurn, RetrievalQuery } from './types.ts';

export interface AskInput {
  question: string;
  history?: ChatTurn[];
  k?: number;
}

export interface AnswerDeps {
  mode: AnswerMode;
  /** Present when a model server is configured. */
  llm?: LlmDeps;
}

export const DEFAULT_K = 4;

/**
 * The question-answering pipeline, as a stream of events: condense the question when it
 * follows earlier turns, retrieve passages, abstain when they do not support an answer,
 * otherwise answer (extractive or with the model) with citations.
 *
 * Model failures become `upstream_error`, an exhausted time budget `timeout`; nothing
 * from the model server's own error reaches the caller.
 */
export async function* answerQuestion(index: LoadedIndex, input: AskInput, deps: AnswerDeps, signal: AbortSignal): AsyncGenerator<AskEvent> {
  const k = input.k ?? DEFAULT_K;
  const history = input.history ?? [];
  try {
    const query: RetrievalQuery =
      deps.mode === 'llm' && deps.llm && history.length > 0
        ? { text: await condenseWithModel(deps.llm, input.question, history, signal) }
        : condenseExtractive(input.question, history);

    const retrieval = await retrieve(index, query, k, signal);
    if (retrievalSupport(retrieval.passages, retrieval.terms) < SUPPORT_THRESHOLD) {
      yield* notCovered(index, deps.mode);
      return;
    }

    if (deps.mode === 'extractive' || !deps.llm) {
      const response = extractiveAnswer(index, retrieval.passages, retrieval.terms, retrieval.localQueryVector);
      if (!response.grounded) {
        yield* notCovered(index, 'extractive');
        return;
      }
      yield { type: 'citations', citations: response.citations };
      for (const piece of splitForStreaming(response.answer)) yield { type: 'delta', text: piece };
      yield { type: 'done', response };
      return;
    }

    const passages = retrieval.passages;
    yield { type: 'citations', citations: passages.map((p, i) => citationFor(p, i + 1, index.documents.get(p.chunk.document))) };
    const generation = llmAnswer(deps.llm, index, query.text, passages, signal);
    let streamedAny = false;
    let step = await generation.next();
    try {
      while (!step.done) {
        streamedAny = true;
        yield { type: 'delta', text: step.value };
        step = await generation.next();
      }
    } finally {
      // A consumer that stops early (client gone) must still close the model call, which
      // hands its upstream slot back.
      if (!step.done) await generation.return(null);
    }
    const response = step.value;
    if (response) {
      yield { type: 'done', response };
    } else {
      const answer = notCoveredAnswer(index);
      if (!streamedAny) yield { type: 'delta', text: answer };
      yield { type: 'done', response: { answer, grounded: false, mode: 'llm', citations: [] } };
    }
  } catch (error) {
    throw toAppError(error, signal, deps.mode);
  }
}

/** Run the pipeline to the end and return the response (the JSON form of /ask). */
export async function answerOnce(index: LoadedIndex, input: AskInput, deps: AnswerDeps, signal: AbortSignal): Promise<AskResponse> {
  for await (const event of answerQuestion(index, input, deps, signal)) if (event.type === 'done') return event.response;
  throw new AppError('internal_error');
}

function* notCovered(index: LoadedIndex, mode: AnswerMode): Generator<AskEvent> {
  const answer = notCoveredAnswer(index);
  yield { type: 'citations', citations: [] };
  yield { type: 'delta', text: answer };
  yield { type: 'done', response: { answer, grounded: false, mode, citations: [] } };
}

/** Extractive answers exist whole at once; stream them in word groups so the UI reads alike. */
function splitForStreaming(answer: string): string[] {
  return answer.match(/\S+(?:\s+\S+){0,3}\s*/g) ?? [answer];
}

function toAppError(error: unknown, signal: AbortSignal, mode: AnswerMode): AppError {
  if (error instanceof AppError) return error;
  if (signal.aborted) {
    const reason = signal.reason as { name?: string } | undefined;
    return reason?.name === 'TimeoutError' ? new AppError('timeout') : new AppError('timeout', 'The request was cancelled.');
  }
  // In llm mode the model server is the part that fails; anything else is our own fault.
  return new AppError(mode === 'llm' ? 'upstream_error' : 'internal_error');
}
