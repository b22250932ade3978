import { z } from '@hono/zod-openapi';
import { ERROR_STATUS, type ErrorCode } from '../errors.ts';
import {
  DEFAULT_K,
  MAX_HISTORY_CONTENT_CHARS,
  MAX_HISTORY_MESSAGES,
  MAX_K,
  MAX_QUESTION_CHARS,
} from '../http-contract.ts';

/**
 * The HTTP contract's schemas: they validate requests and generate /openapi.json, so the
 * documentation cannot drift from what the server accepts.
 */

/** Control characters other than tab and newline: stripped from text before use. */
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

const text = (field: string, max: number) =>
  z
    .string()
    .refine((s) => s.isWellFormed(), { message: `${field} contains an unpaired surrogate (invalid Unicode)` })
    .refine((s) => s.replace(CONTROL_CHARS, '').trim().length >= 1, { message: `${field} must not be empty` })
    .refine((s) => s.normalize('NFC').replace(CONTROL_CHARS, '').trim().length <= max, {
      message: `${field} must be at most ${max} characters`,
    });

const ChatTurnSchema = z
  .object({
    role: z.enum(['user', 'assistant']),
    content: text('history content', MAX_HISTORY_CONTENT_CHARS),
  })
  .strict()
  .openapi('ChatTurn');

export const AskRequestSchema = z
  .object({
    question: text('question', MAX_QUESTION_CHARS).openapi({ example: 'How do I move from sales into product?' }),
    history: z.array(ChatTurnSchema).max(MAX_HISTORY_MESSAGES).optional(),
    k: z
      .number()
      .int()
      .min(1)
      .max(MAX_K)
      .optional()
      .openapi({ description: `How many passages to retrieve (default ${DEFAULT_K}).` }),
  })
  .strict()
  .openapi('AskRequest');

const CitationSchema = z
  .object({
    id: z.number().int().min(1),
    document: z.string(),
    section: z.string(),
    anchor: z.string(),
    url: z.string(),
    sourceUrl: z.string(),
    quote: z.string(),
    score: z.number(),
  })
  .openapi('Citation');

export const AskResponseSchema = z
  .object({
    answer: z.string().openapi({
      description:
        'Markdown (bold, lists, line breaks; no links, images or HTML); every statement is followed by its [n] marker.',
    }),
    grounded: z.boolean(),
    support: z.enum(['answered', 'related', 'none']).openapi({
      description:
        "answered: the passages address the question; related: on the guide's topic, but the guide does not say the specific thing asked (the answer says so, then gives the closest statements); none: nothing in the guide is about it.",
    }),
    id: z.string().openapi({ description: 'Identifies this answer for POST /feedback.' }),
    mode: z.enum(['extractive', 'llm']),
    citations: z.array(CitationSchema),
  })
  .openapi('AskResponse');

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
    }),
  })
  .openapi('Error');

/** OpenAPI response entries for the error statuses a route can answer with. */
export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [s, { description: 'Error', content: { 'application/json': { schema: ErrorSchema } } }]),
  );

export const HealthSchema = z
  .object({
    status: z.literal('ok'),
    index: z.object({
      documents: z.number().int(),
      chunks: z.number().int(),
      embedder: z.string(),
      builtAt: z.string(),
      generation: z.string(),
    }),
  })
  .openapi('Health');

/** Clean user text once validated: NFC, no control characters, trimmed. */
export function cleanText(s: string): string {
  return s.normalize('NFC').replace(CONTROL_CHARS, '').trim();
}
