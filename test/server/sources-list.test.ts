import { describe, expect, it } from 'vitest';
import type { Citation } from '../../src/rag/types.ts';
import { sourcesList, withoutSourcesList } from '../../src/server/sources-list.ts';

const citation = (id: number, section: string, url: string): Citation => ({
  id,
  document: 'guide',
  section,
  anchor: url.split('#')[1] ?? '',
  url,
  sourceUrl: '',
  quote: '',
  score: 1,
});

describe('the Sources list of /v1 and /mcp answers', () => {
  it('links each citation absolutely, numbered as the markers are, its section as the link text', () => {
    const list = sourcesList(
      [
        citation(1, 'Moving from Sales', '/source/guide#moving-from-sales'),
        citation(2, 'A [draft]', '/source/guide#a'),
      ],
      'http://[::1]:3000',
    );
    expect(list).toBe(
      '\n\n**Sources**\n1. [Moving from Sales](http://[::1]:3000/source/guide#moving-from-sales)\n' +
        '2. [A \\[draft\\]](http://[::1]:3000/source/guide#a)',
    );
  });

  it('gives the link URL itself would: a non-ASCII anchor encoded, dot segments resolved', () => {
    const links = sourcesList(
      [citation(1, 'Café', '/source/guide#café'), citation(2, 'Up', '/source/x/../guide#up')],
      'https://guide.example',
    );
    expect(links).toContain('(https://guide.example/source/guide#caf%C3%A9)');
    expect(links).toContain('(https://guide.example/source/guide#up)');
  });

  it('is nothing without citations, and comes off an answer sent back in a history', () => {
    expect(sourcesList([], 'https://guide.example')).toBe('');
    const answer = 'Make the move inside your company. [1]';
    expect(
      withoutSourcesList(answer + sourcesList([citation(1, 'Pivot', '/source/guide#pivot')], 'https://g.example')),
    ).toBe(answer);
  });
});
