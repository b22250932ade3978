import type { AskEvent } from '../rag/types.ts';
import type { RequestCancellation } from './request-signal.ts';

/**
 * The events of an answer up to its first word (the citations come before it), read before a
 * stream is opened, so that a failure before the first word (model server down, timeout)
 * still gets a proper HTTP status. Pulled with next(), not for-await: leaving a for-await
 * loop early (break) calls return() on the generator and ends the answer after its first
 * word. A failure releases the request's cancellation and is thrown.
 */
export async function answerHead(events: AsyncGenerator<AskEvent>, cancel: RequestCancellation): Promise<AskEvent[]> {
  const head: AskEvent[] = [];
  try {
    for (let step = await events.next(); !step.done; step = await events.next()) {
      head.push(step.value);
      if (step.value.type !== 'citations') break;
    }
  } catch (error) {
    cancel.release();
    throw error;
  }
  return head;
}
