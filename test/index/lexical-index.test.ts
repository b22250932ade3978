import { describe, expect, it } from 'vitest';
import {
  buildLexicalIndex,
  corpusVocabulary,
  loadLexicalIndex,
  searchLexical,
  type LexicalDocument,
} from '../../src/index/lexical-index.ts';

/**
 * Twelve passages that all say "PM"; one has it in its heading too ("Get certified as a PM"),
 * one is the passage about the question's other word ("hard"), and one has "FAQs" and
 * "certified" in its text only, the rival a heading match has to beat.
 */
function documents(): LexicalDocument[] {
  const docs: LexicalDocument[] = [];
  for (let id = 0; id < 12; id++)
    docs.push({ id, heading: `Section ${id}`, text: `A PM works with the team on topic number ${id} every week.` });
  docs[3] = {
    id: 3,
    heading: 'Pivot Get certified as a PM',
    text: 'Get certified as a PM: a PM certificate shows you are serious.',
  };
  docs[7] = { id: 7, heading: 'FAQs', text: 'Is the PM job hard? It is fast-paced, but people thrive on it.' };
  docs[9] = { id: 9, heading: 'Section 9', text: 'Some PMs got certified later; the FAQs of the course list it.' };
  return docs;
}

describe('searchLexical', () => {
  it("judges a word by how many passages hold it, not how few headings: a common word in one heading does not outrank the question's rarer word", () => {
    const index = buildLexicalIndex(documents());
    const hits = searchLexical(index, 'is it hard to be a PM?', 5);
    expect(hits[0]!.position).toBe(7);
  });

  it('still ranks a heading match first when the word is rare across passages', () => {
    const index = buildLexicalIndex(documents());
    expect(searchLexical(index, 'FAQs', 3)[0]!.position).toBe(7);
    expect(searchLexical(index, 'certified', 3)[0]!.position).toBe(3);
  });

  it('scores the same after a JSON round trip (what the server loads)', () => {
    const index = buildLexicalIndex(documents());
    const reloaded = loadLexicalIndex(JSON.stringify(index));
    expect(searchLexical(reloaded, 'hard PM certified', 12)).toEqual(searchLexical(index, 'hard PM certified', 12));
  });
});

describe('search analysis', () => {
  const index = buildLexicalIndex([
    { id: 0, heading: 'First job', text: 'Getting your first PM job takes patience.' },
    { id: 1, heading: 'Others', text: 'Other people can help you from any industry.' },
    { id: 2, heading: 'Team', text: 'The team ships every week.' },
  ]);

  it('finds a word whose stem is spelled like a stop word ("getting" -> get, "others" -> other)', () => {
    expect(searchLexical(index, 'getting hired', 3).map((h) => h.position)).toEqual([0]);
    expect(searchLexical(index, 'others', 3).map((h) => h.position)).toEqual([1]);
    expect(corpusVocabulary(index).has('get')).toBe(true);
  });
});
