import { z } from 'zod';
import type { AskInput } from '../rag/answer-question.ts';
import type { ChatTurn } from '../rag/types.ts';
import { invalidRequest, OpenAiError } from './openai-error.ts';
import { MAX_HISTORY_MESSAGES } from '../http-contract.ts';
import { AskRequestSchema, cleanText } from './schemas.ts';
import { withoutSourcesList } from './sources-list.ts';

/** The one model /v1 serves: the guide's answering pipeline. */
export const MODEL_ID = 'ask-the-guide';

const ContentPartSchema = z.looseObject({ type: z.string(), text: z.string().optional() });

const MessageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(ContentPartSchema), z.null()]).optional(),
});

/**
 * The parts of an OpenAI Chat Completions request this server reads. Every other parameter
 * (temperature, max_tokens, top_p, user, tools, ...) is accepted and ignored: the answer is the
 * guide's, composed the same way whatever the sampling settings say.
 */
const ChatCompletionRequestSchema = z.looseObject({
  model: z.string(),
  messages: z.array(MessageSchema).min(1),
  stream: z.boolean().nullish(),
  n: z.number().int().min(1).nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
});

export interface ChatCompletionRequest {
  input: AskInput;
  stream: boolean;
  includeUsage: boolean;
}

type Message = z.infer<typeof MessageSchema>;

/**
 * Read a request body: the last `user` message is the question, the `user` and `assistant`
 * messages before it the history (its most recent MAX_HISTORY_MESSAGES, as /ask allows:
 * chat clients send the whole conversation every time), `system` and `developer` messages
 * ignored (the guide's own instructions are not the caller's to change). The question and
 * the history then pass /ask's own schema, so both APIs accept exactly the same text.
 * Throws an OpenAiError: 400 for a bad request, 404 for another model.
 */
export function readChatCompletionRequest(body: unknown): ChatCompletionRequest {
  const parsed = ChatCompletionRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = paramName(issue.path);
    throw invalidRequest(`${param ?? 'body'}: ${issue.message}`, param);
  }
  const request = parsed.data;
  if (request.model !== MODEL_ID) {
    throw new OpenAiError(
      404,
      `The model \`${request.model}\` does not exist; this server has \`${MODEL_ID}\`.`,
      'invalid_request_error',
      'model_not_found',
      'model',
    );
  }
  if ((request.n ?? 1) > 1) throw invalidRequest('n: only one choice (n = 1) is supported.', 'n');

  const questionAt = request.messages.findLastIndex((m) => m.role === 'user');
  if (questionAt < 0) throw invalidRequest('messages: there is no user message to answer.', 'messages');
  const turns: Array<{ at: number; turn: ChatTurn }> = [];
  request.messages.slice(0, questionAt).forEach((message, at) => {
    if (message.role !== 'user' && message.role !== 'assistant') return;
    const text = textOf(message, at);
    const content = message.role === 'assistant' ? withoutSourcesList(text) : text;
    // An assistant turn with no text (a tool call) says nothing to follow up on.
    if (content.trim()) turns.push({ at, turn: { role: message.role, content } });
  });
  const recent = turns.slice(-MAX_HISTORY_MESSAGES);

  const ask = AskRequestSchema.safeParse({
    question: textOf(request.messages[questionAt]!, questionAt),
    history: recent.length ? recent.map((t) => t.turn) : undefined,
  });
  if (!ask.success) {
    const issue = ask.error.issues[0]!;
    const at = issue.path[0] === 'history' ? recent[Number(issue.path[1])]!.at : questionAt;
    throw invalidRequest(`messages[${at}].content: ${issue.message}`, `messages[${at}].content`);
  }
  return {
    input: {
      question: cleanText(ask.data.question),
      history: ask.data.history?.map((t) => ({ role: t.role, content: cleanText(t.content) })),
    },
    stream: request.stream === true,
    includeUsage: request.stream_options?.include_usage === true,
  };
}

/** A message's text: a string, or its text parts joined (images and other parts are refused). */
function textOf(message: Message, at: number): string {
  const { content } = message;
  if (typeof content === 'string') return content;
  if (!content) return '';
  const other = content.find((part) => part.type !== 'text' || typeof part.text !== 'string');
  if (other)
    throw invalidRequest(
      `messages[${at}].content: only text parts are supported (got "${String(other.type).slice(0, 40)}").`,
      `messages[${at}].content`,
    );
  return content.map((part) => part.text).join('\n');
}

function paramName(path: readonly PropertyKey[]): string | null {
  if (path.length === 0) return null;
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i ? '.' : ''}${String(key)}`)).join('');
}
