/** Cancellation of one request's answer: an AbortSignal plus what ends it. */
export interface RequestCancellation {
  /** Undefined when nothing can be cancelled. */
  signal: AbortSignal | undefined;
  abort(reason: unknown): void;
  /** Stop the timer and the client listener once the answer is done. */
  release(): void;
}

/**
 * For answers that wait on nothing (extractive with the local embedder). No signal object at
 * all: one shared across requests would be an I/O object of another request on Workers.
 */
export const NO_CANCELLATION: RequestCancellation = { signal: undefined, abort() {}, release() {} };

/**
 * One request's cancellation: the client going away, the REQUEST_TIMEOUT_MS budget (a
 * TimeoutError, as AbortSignal.timeout gives), or `abort` (the SSE stream closing). One
 * controller and one timer, released when the answer is done, rather than
 * AbortSignal.any([AbortSignal.timeout(...), ...]): on Node 20 those cost ~30 us per request
 * and keep every request's signals alive until its timer fires.
 */
export function requestSignal(client: AbortSignal, timeoutMs: number): RequestCancellation {
  const controller = new AbortController();
  const onClientAbort = () => controller.abort(client.reason);
  const timer = setTimeout(
    () => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    timeoutMs,
  );
  (timer as { unref?: () => void }).unref?.();
  if (client.aborted) onClientAbort();
  else client.addEventListener('abort', onClientAbort, { once: true });
  return {
    signal: controller.signal,
    abort: (reason) => controller.abort(reason),
    release() {
      clearTimeout(timer);
      client.removeEventListener('abort', onClientAbort);
    },
  };
}
