/**
 * Who may see /admin: the holder of ADMIN_TOKEN, by `Authorization: Bearer <token>` or by a
 * session cookie the sign-in form hands out. The cookie is an expiring session signed with
 * HMAC-SHA-256 under a key derived from the token: never the token itself, valid on every
 * Worker isolate and after a restart, void once the token changes. Web Crypto only (Node
 * and Workers alike); nothing here logs the token.
 */

export const SESSION_COOKIE = 'atg_admin';
/** How long a sign-in lasts. */
export const SESSION_SECONDS = 8 * 60 * 60;

const encoder = new TextEncoder();

export class AdminAuth {
  private readonly tokenDigest: Promise<Uint8Array>;
  private readonly sessionKey: Promise<CryptoKey>;

  constructor(
    token: string,
    private readonly now: () => number = Date.now,
  ) {
    this.tokenDigest = sha256(token);
    this.sessionKey = sha256(`ask-the-guide admin session\u0000${token}`).then((raw) =>
      crypto.subtle.importKey('raw', raw as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']),
    );
  }

  /**
   * Whether `candidate` is the token. Both are hashed first, so the comparison takes the same
   * time whatever the candidate's length or how much of it is right.
   */
  async tokenMatches(candidate: string): Promise<boolean> {
    const [given, expected] = await Promise.all([sha256(candidate), this.tokenDigest]);
    let difference = 0;
    for (let i = 0; i < expected.length; i++) difference |= expected[i]! ^ given[i]!;
    return difference === 0;
  }

  /** A new session cookie value: `<expires>.<nonce>.<signature>`. */
  async newSession(): Promise<string> {
    const expires = Math.floor(this.now() / 1000) + SESSION_SECONDS;
    const nonce = base64url(crypto.getRandomValues(new Uint8Array(16)));
    const payload = `${expires}.${nonce}`;
    const signature = await crypto.subtle.sign('HMAC', await this.sessionKey, encoder.encode(payload));
    return `${payload}.${base64url(new Uint8Array(signature))}`;
  }

  /** Whether a cookie value is a session this token signed and that has not expired. */
  async sessionValid(value: string | undefined): Promise<boolean> {
    const match = /^(\d{1,12})\.([\w-]{1,64})\.([\w-]{43})$/.exec(value ?? '');
    if (!match) return false;
    if (Number(match[1]) * 1000 <= this.now()) return false;
    const signature = fromBase64url(match[3]!);
    // crypto.subtle.verify compares in constant time.
    return crypto.subtle.verify(
      'HMAC',
      await this.sessionKey,
      signature as BufferSource,
      encoder.encode(`${match[1]}.${match[2]}`),
    );
  }
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}
