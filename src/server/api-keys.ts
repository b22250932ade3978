/**
 * API keys for /v1 and /mcp (API_KEYS). A presented key is hashed and its digest compared with
 * every configured key's digest in constant time: hashing makes both sides the same length
 * (a plain compare would leak the key's length, or stop at the first differing byte), and
 * every key is compared in full, so the time taken says nothing about which key came close.
 * Only Web Crypto (crypto.subtle), so the same code runs on Node and on Workers.
 */
export interface ApiKeys {
  /** False when no keys are configured: the API is open. */
  readonly required: boolean;
  /**
   * The caller's key id (a short digest, safe to use as a rate-limit key and never the key
   * itself) when `authorization` carries a configured key as `Bearer <key>`, else null.
   */
  verify(authorization: string | undefined): Promise<string | null>;
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
/** Longer than any sensible key; a header beyond it is refused without hashing. */
const MAX_KEY_LENGTH = 512;

export function apiKeys(keys: readonly string[]): ApiKeys {
  // Digested on first use: Workers forbid async work at start-up, and most requests never need it.
  let digests: Promise<Uint8Array[]> | null = null;
  return {
    required: keys.length > 0,
    async verify(authorization) {
      const presented = BEARER.exec(authorization ?? '')?.[1];
      if (!presented || presented.length > MAX_KEY_LENGTH || keys.length === 0) return null;
      digests ??= Promise.all(keys.map(sha256));
      const [candidate, known] = await Promise.all([sha256(presented), digests]);
      let matched = false;
      for (const digest of known) matched = constantTimeEqual(candidate, digest) || matched;
      return matched ? toHex(candidate.subarray(0, 8)) : null;
    },
  };
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/** Equal-length byte arrays compared without an early exit. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
