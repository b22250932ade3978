/**
 * The HTTP contract's shapes, shared with the server so the two cannot drift. Type-only
 * imports: nothing from src/ ends up in the browser bundle.
 */
export type { AskResponse, ChatTurn, Citation } from '../../src/rag/types.ts';

/** One Server-Sent Event as it came off the wire. */
export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}
