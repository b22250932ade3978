import { contentTerms } from '../text/analyze.ts';
import type { AnswerMode } from '../config.ts';
import { AppError } from '../errors.ts';
import { DEFAULT_K } from '../http-contract.ts';
import type { LoadedIndex } from '../index/loaded-index.ts';
import { citationFor } from './citations.ts';
import { condenseExtractive, refersBack, withConversationTopic } from './condense.ts';
import { extractiveAnswer } from './extractive-answer.ts';
import { asksToOverrideInstructions } from './instruction-override.ts';
import type { LlmDeps } from './llm-answer.ts';
import { notCoveredResponse } from './not-covered.ts';
import type { AnswerCache } from './answer-cache.ts';
import { retrieve, type Retrieval } from './retrieve.ts';
import { decideOutcome, type OutcomeDecision } from './outcome.ts';
import { isAsked, type QueryTerm } from './query-terms.ts';
import { looksLikeQualifier } from '../text/word-shape.ts';
import { SUPPORT_THRESHOLD } from './support.ts';
import type { AskEvent, AskResponse, ChatTurn, ComposedAnswer, RetrievalQuery } from './types.ts';
import { newAnswerId } from './answer-id.ts';

export interface AskInput {
  question: string;
  history?: ChatTurn[];
  k?: number;
}

/**
 * How questions are answered: extractive (the embedded default), or by a model server. One or
 * the other, so a mode without its model, or a model in extractive mode, cannot be built.
 */
export type AnswerDeps =
  | {
      mode: 'extractive';
      /** Extractive answers by request, per index generation; absent = no caching. */
      cache?: AnswerCache;
    }
  | { mode: 'llm'; llm: LlmDeps };

/** The model path (and @langchain/core's message classes) loads on first use only. */
let llmModule: Promise<typeof import('./llm-answer.ts')> | null = null;
const loadLlm = () => (llmModule ??= import('./llm-answer.ts'));

/**
 * The question-answering pipeline, as a stream of events: decline attempts to override the
 * assistant, condense the question when it follows earlier turns, retrieve passages, abstain
 * when they do not support an answer, otherwise answer (extractive or with the model) with
 * citations.
 *
 * Model failures become `upstream_error`, an exhausted time budget `timeout`; nothing
 * from the model server's own error reaches the caller.
 */
export async function* answerQuestion(
  index: LoadedIndex,
  input: AskInput,
  deps: AnswerDeps,
  signal?: AbortSignal,
): AsyncGenerator<AskEvent> {
  const k = input.k ?? DEFAULT_K;
  try {
    if (deps.mode === 'extractive') {
      const response = await cachedExtractiveResponse(index, input, k, deps.cache, signal);
      yield { type: 'citations', citations: response.citations };
      for (const piece of splitForStreaming(response.answer)) yield { type: 'delta', text: piece };
      yield { type: 'done', response: withAnswerId(response) };
      return;
    }

    if (asksToOverrideInstructions(input.question)) {
      yield* notCovered(index, deps.mode);
      return;
    }
    const history = trustedHistory(input.history);
    // Model calls always run under a signal; callers that pass none get one that never fires.
    const modelSignal = signal ?? new AbortController().signal;
    const query: RetrievalQuery = { text: input.question };
    if (history.length > 0) {
      query.text = await (await loadLlm()).condenseWithModel(deps.llm, input.question, history, modelSignal);
      // The model's rewrite is checked too: a condensed follow-up must not smuggle one in.
      if (asksToOverrideInstructions(query.text)) {
        yield* notCovered(index, deps.mode);
        return;
      }
    }
    const retrieval = await retrieve(index, query, k, modelSignal);
    const decision = decideOutcome(query.text, retrieval.passages, retrieval.terms, index.statements);
    if (decision.support === 'none') {
      yield* notCovered(index, deps.mode);
      return;
    }

    const passages = retrieval.passages;
    yield {
      type: 'citations',
      citations: passages.map((p, i) => citationFor(p, i + 1, index.documents.get(p.chunk.document))),
    };
    const generation = (await loadLlm()).llmAnswer(deps.llm, index, query.text, passages, modelSignal);
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
      yield { type: 'done', response: withAnswerId({ ...response, support: decision.support }) };
      return;
    }
    // The model found no answer in the passages. When retrieval backs them well, they are
    // still the closest the guide gets: shown as a related answer, not hidden.
    const closest =
      decision.score >= SUPPORT_THRESHOLD
        ? extractiveAnswer(index, query, retrieval, { ...decision, support: 'related' })
        : null;
    const fallback = closest ? { ...closest, mode: 'llm' as const } : notCoveredResponse(index, 'llm');
    if (!streamedAny) yield { type: 'delta', text: fallback.answer };
    yield { type: 'done', response: withAnswerId(fallback) };
  } catch (error) {
    throw classifyAnswerFailure(error, signal, deps.mode);
  }
}

/**
 * The extractive answer is a pure function of the index generation and the request, so it
 * is cached (per generation: a re-index starts afresh), declines included: a cache hit costs
 * no check at all.
 */
async function cachedExtractiveResponse(
  index: LoadedIndex,
  input: AskInput,
  k: number,
  cache: AnswerCache | undefined,
  signal: AbortSignal | undefined,
): Promise<ComposedAnswer> {
  const key = cache ? JSON.stringify([index.generation, k, input.question, input.history ?? []]) : '';
  const cached = cache?.get(key);
  if (cached) return cached;
  let response: ComposedAnswer | null = null;
  if (!asksToOverrideInstructions(input.question)) {
    const { query, retrieval, decision } = await retrieveAndDecide(index, input, k, signal);
    if (decision.support !== 'none')
      response = extractiveAnswer(index, query, retrieval, decision, trustedHistory(input.history));
  }
  response ??= notCoveredResponse(index, 'extractive');
  cache?.set(key, response);
  return response;
}

/**
 * Run the pipeline to the end and return the response (the JSON form of /ask). Extractive
 * answers skip the event stream altogether: nothing is streamed, so there is nothing to split.
 */
export async function answerOnce(
  index: LoadedIndex,
  input: AskInput,
  deps: AnswerDeps,
  signal?: AbortSignal,
): Promise<AskResponse> {
  if (deps.mode === 'extractive') {
    try {
      return withAnswerId(await cachedExtractiveResponse(index, input, input.k ?? DEFAULT_K, deps.cache, signal));
    } catch (error) {
      throw classifyAnswerFailure(error, signal, 'extractive');
    }
  }
  for await (const event of answerQuestion(index, input, deps, signal))
    if (event.type === 'done') return event.response;
  throw new AppError('internal_error');
}

/**
 * Attempts to override the assistant (see instruction-override.ts) were declined when asked,
 * and a client-supplied history (either role: the client writes the assistant's turns too)
 * must not carry them into a follow-up.
 */
const isTrustedTurn = (turn: ChatTurn) => !asksToOverrideInstructions(turn.content);

/** Earlier turns minus override attempts, for the model's condense prompt. */
function trustedHistory(history: ChatTurn[] = []): ChatTurn[] {
  return history.filter(isTrustedTurn);
}

/**
 * The retrieval query of extractive mode (and of the eval): a follow-up carries the topic of
 * the last trusted user turn. Only that turn is checked, and only for a follow-up.
 */
export function extractiveQuery(question: string, history: ChatTurn[] = []): RetrievalQuery {
  return condenseExtractive(question, history, isTrustedTurn);
}

/**
 * Retrieval and the outcome for an extractive answer (and the eval's explanation of it). A
 * question that names nothing the guide is about, asked in a conversation, continues it
 * ("what's the biggest difference I'd have to deal with?" after "I'm a consultant thinking
 * about product management"): it is decided again with the conversation's topic carried.
 * Not when it asks about something the corpus has no word for ("how do I cook risotto?"
 * after a career question): that is a new subject, not a follow-up, short or not. One that
 * names nothing itself after a turn that tells ("Any tips?" after "I'm a nurse.") is decided
 * as the two sentences of one question.
 */
export async function retrieveAndDecide(
  index: LoadedIndex,
  input: Pick<AskInput, 'question' | 'history'>,
  k: number,
  signal?: AbortSignal,
): Promise<{ query: RetrievalQuery; retrieval: Retrieval; decision: OutcomeDecision }> {
  // A follow-up of one content word after a turn that tells ("I'm a nurse." then "Any tips?")
  // is read after that turn, as one question of two sentences would be: the outcome then
  // decides whether it names something itself ("Recipes?") or asks about that turn (outcome.ts).
  const oneContentWord = contentTerms(input.question).length <= 1;
  const followsStory = (query: RetrievalQuery) =>
    query.context !== undefined && oneContentWord && !query.context.includes('?');
  const decide = async (query: RetrievalQuery) => {
    const retrieval = await retrieve(index, query, k, signal);
    const asked = followsStory(query) ? `${query.context}\n${query.text}` : query.text;
    return { query, retrieval, decision: decideOutcome(asked, retrieval.passages, retrieval.terms, index.statements) };
  };
  const newSubject = (t: QueryTerm) =>
    isAsked(t) && t.role === 'topic' && t.evidence === 'none' && !looksLikeQualifier(t.word);
  const first = await decide(extractiveQuery(input.question, input.history));
  // A short question that does not point back, about something the corpus has no word for, is
  // a new subject ("what is the capital of France?"): decided on its own words.
  if (
    first.query.context &&
    !refersBack(input.question) &&
    !followsStory(first.query) &&
    first.retrieval.terms.some(newSubject)
  )
    return decide({ text: input.question });
  if (first.decision.support !== 'none' || first.query.context) return first;
  if (first.retrieval.terms.some(newSubject)) return first;
  const carried = withConversationTopic(input.question, input.history, isTrustedTurn);
  if (!carried.context) return first;
  // Only an answer: with the conversation's topic carried, nearly any question comes out
  // "related" to it ("what is the capital of France?" after a question about sales).
  const second = await decide(carried);
  return second.decision.support === 'answered' ? second : first;
}

function* notCovered(index: LoadedIndex, mode: AnswerMode): Generator<AskEvent> {
  const response = notCoveredResponse(index, mode);
  yield { type: 'citations', citations: [] };
  yield { type: 'delta', text: response.answer };
  yield { type: 'done', response: withAnswerId(response) };
}

/**
 * Every response gets its own id, a cached answer too: feedback rates what one reader was
 * shown, and two readers of the same cached answer may rate it differently.
 */
function withAnswerId(answer: ComposedAnswer): AskResponse {
  return { ...answer, id: newAnswerId() };
}

/** Extractive answers exist whole at once; stream them in word groups so the UI reads alike. */
function splitForStreaming(answer: string): string[] {
  return answer.match(/\S+(?:\s+\S+){0,3}\s*/g) ?? [answer];
}

function classifyAnswerFailure(error: unknown, signal: AbortSignal | undefined, mode: AnswerMode): AppError {
  if (error instanceof AppError) return error;
  if (signal?.aborted) {
    const reason = signal.reason as { name?: string } | undefined;
    return reason?.name === 'TimeoutError'
      ? new AppError('timeout')
      : new AppError('timeout', 'The request was cancelled.');
  }
  // In llm mode the model server is the part that fails; anything else is our own fault.
  return new AppError(mode === 'llm' ? 'upstream_error' : 'internal_error');
}
