import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/cfworker';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { embedsQuestionsRemotely, type LoadedIndex } from '../index/loaded-index.ts';
import { answerOnce, type AnswerDeps } from '../rag/answer-question.ts';
import { citationFor } from '../rag/citations.ts';
import { retrieve } from '../rag/retrieve.ts';
import type { AskResponse } from '../rag/types.ts';
import type { Logger } from '../logger.ts';
import { DEFAULT_K, MAX_K } from '../http-contract.ts';
import type { RequestCancellation } from './request-signal.ts';
import { AskRequestSchema, AskResponseSchema, cleanText } from './schemas.ts';
import { sourcesList } from './sources-list.ts';

export interface GuideMcpDeps {
  /** The generation this request reads, or null while none is served. */
  index: LoadedIndex | null;
  answer: AnswerDeps;
  logger: Logger;
  /** The request's own origin, for the absolute links in text results. */
  origin: string;
  /** A fresh cancellation (client gone, REQUEST_TIMEOUT_MS) for one tool call. */
  cancellation(): RequestCancellation;
  /** Records an answer of ask_guide in the question store (as POST /ask's are). */
  recordAnswer(question: string, answer: AskResponse): void;
}

/** The URI of a document resource: its id under a scheme of our own (its Markdown, not a web page). */
const DOCUMENT_URI = 'guide://documents/{document}';
const documentUri = (id: string) => `guide://documents/${encodeURIComponent(id)}`;

/** A Citation as /ask has it: the schema /openapi.json documents. */
const CitationSchema = AskResponseSchema.shape.citations.element;
const SearchResultSchema = z.object({ passages: z.array(CitationSchema) });

/**
 * Ajv, the SDK's default JSON Schema validator, compiles schemas to code with `new Function`,
 * which Workers forbid; this one interprets them, on Node and on Workers alike.
 */
const jsonSchemaValidator = new CfWorkerJsonSchemaValidator();

/**
 * The guide as an MCP server: tools `ask_guide` (the cited answer of POST /ask) and
 * `search_guide` (the passages retrieval finds), and each document as a resource. Built per
 * request: the Streamable HTTP transport runs stateless, so any instance of the app (a
 * Node process, a Worker isolate) answers any request.
 */
export function guideMcpServer(deps: GuideMcpDeps): McpServer {
  const server = new McpServer(
    { name: 'ask-the-guide', version: '1.0.0' },
    {
      jsonSchemaValidator,
      instructions:
        'Answers questions from a guide, every statement cited. Use ask_guide for an answer with citations, ' +
        'search_guide for the passages themselves; the documents are resources.',
    },
  );

  server.registerTool(
    'ask_guide',
    {
      title: 'Ask the guide',
      description:
        'Answer a question from the guide: Markdown with [n] markers, each pointing at a cited section, ' +
        'then a Sources list. structuredContent has the same answer, its citations and `support` ' +
        '(answered, related or none).',
      inputSchema: { question: AskRequestSchema.shape.question, history: AskRequestSchema.shape.history },
      outputSchema: AskResponseSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ question, history }) =>
      run(deps, async (index, signal) => {
        const input = {
          question: cleanText(question),
          history: history?.map((t) => ({ role: t.role, content: cleanText(t.content) })),
        };
        const response = await answerOnce(index, input, deps.answer, signal);
        deps.recordAnswer(input.question, response);
        return {
          content: [{ type: 'text', text: response.answer + sourcesList(response.citations, deps.origin) }],
          structuredContent: { ...response },
        };
      }),
  );

  server.registerTool(
    'search_guide',
    {
      title: 'Search the guide',
      description:
        'The passages of the guide that best match a query, most relevant first: each with its document, section, ' +
        'url (of the section), quote (the passage) and score (0 to 1).',
      inputSchema: {
        query: AskRequestSchema.shape.question,
        k: z.number().int().min(1).max(MAX_K).optional().describe(`How many passages (default ${DEFAULT_K}).`),
      },
      outputSchema: SearchResultSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ query, k }) =>
      run(deps, async (index, signal) => {
        const link = (url: string) => new URL(url, deps.origin).href;
        const { passages } = await retrieve(index, { text: cleanText(query) }, k ?? DEFAULT_K, signal);
        const found = passages.map((p, i) => citationFor(p, i + 1, index.documents.get(p.chunk.document)));
        const text = found.length
          ? found
              .map((p) => `${p.id}. ${p.section} (${p.document}, score ${p.score}): ${link(p.url)}\n${p.quote}`)
              .join('\n\n')
          : 'No passage matches.';
        return { content: [{ type: 'text', text }], structuredContent: { passages: found } };
      }),
  );

  server.registerResource(
    'document',
    new ResourceTemplate(DOCUMENT_URI, {
      list: () => ({
        resources: [...(deps.index?.documents.values() ?? [])].map((doc) => ({
          uri: documentUri(doc.id),
          name: doc.id,
          title: doc.title,
          mimeType: 'text/markdown',
        })),
      }),
    }),
    {
      title: 'A document of the guide',
      description: 'The document as Markdown (without front matter).',
      mimeType: 'text/markdown',
    },
    (uri, { document }) => {
      const id = decodeURIComponent(String(document));
      const doc = deps.index?.documents.get(id);
      // -32002: the MCP specification's "resource not found".
      if (!doc) throw new McpError(-32002, `No document ${JSON.stringify(id)} in the guide.`);
      return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: doc.markdown }] };
    },
  );

  return server;
}

/**
 * A tool call under its own cancellation, its failures reported as tool errors (isError) with
 * our message, never an upstream's, as MCP asks of errors a model should see.
 */
async function run(
  deps: GuideMcpDeps,
  call: (index: LoadedIndex, signal: AbortSignal | undefined) => Promise<CallToolResult>,
): Promise<CallToolResult> {
  if (!deps.index) return failure(new AppError('index_unavailable'));
  const cancel = deps.cancellation();
  try {
    return await call(deps.index, cancel.signal);
  } catch (error) {
    if (error instanceof AppError) return failure(error);
    deps.logger.error(
      { err: error instanceof Error ? `${error.name}: ${error.message}` : String(error) },
      'mcp tool failed',
    );
    // Only a remote embedder can fail inside retrieval; anything else is our own fault.
    return failure(
      new AppError(
        cancel.signal?.aborted ? 'timeout' : embedsQuestionsRemotely(deps.index) ? 'upstream_error' : 'internal_error',
      ),
    );
  } finally {
    cancel.release();
  }
}

function failure(error: AppError): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: `${error.message} (${error.code})` }] };
}
