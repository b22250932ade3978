/**
 * The request limits of the HTTP contract, in one dependency-free module at the bottom of the
 * layers: the server's schemas enforce them, the answer pipeline uses the default `k`, and the
 * web UI (bundled for the browser) keeps its requests inside them, so none of them can drift
 * apart and nothing below the server has to import from it.
 */
export const MAX_QUESTION_CHARS = 2000;
export const MAX_HISTORY_MESSAGES = 20;
export const MAX_HISTORY_CONTENT_CHARS = 4000;
export const MAX_K = 10;
/** Passages retrieved when a request gives no `k`. */
export const DEFAULT_K = 4;
/** The whole request body, in bytes. */
export const BODY_LIMIT_BYTES = 16 * 1024;
/** A reader's comment on an answer (POST /feedback). */
export const MAX_FEEDBACK_COMMENT_CHARS = 1000;
