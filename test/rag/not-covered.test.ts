import { describe, expect, it } from 'vitest';
import type { Chunk } from '../../src/corpus/types.ts';
import type { LoadedIndex, StoredDocument } from '../../src/index/loaded-index.ts';
import { composeNotCovered, notCoveredResponse } from '../../src/rag/not-covered.ts';

/** The parts of an index the not-covered answer reads: its documents and its chunks' headings. */
function indexOf(documents: Array<{ id: string; title: string; sections: string[]; intro?: boolean }>): LoadedIndex {
  const chunks: Chunk[] = [];
  for (const doc of documents) {
    const headings = [...(doc.intro ? [doc.title] : []), ...doc.sections];
    for (const heading of headings) {
      const headingPath = heading === doc.title ? [doc.title] : [doc.title, heading];
      // Two chunks for each section: a section counts once however many passages it has.
      for (let i = 0; i < 2; i++) {
        chunks.push({
          id: `${doc.id}-${heading}-${i}`,
          document: doc.id,
          section: heading,
          headingPath,
          anchor: heading.toLowerCase().replace(/\W+/g, '-'),
          start: 0,
          end: 1,
          text: 'x',
          hash: `${doc.id}${heading}${i}`,
        });
      }
    }
  }
  const stored = new Map(documents.map((d) => [d.id, { id: d.id, title: d.title } as StoredDocument]));
  return {
    documents: stored,
    chunks,
    notCoveredAnswer: composeNotCovered({ documents: stored, chunks }),
  } as unknown as LoadedIndex;
}

const GUIDE_SECTIONS = [
  'How to Pivot into Product Management',
  'How to Transition from Project Manager to Product Manager',
  'Career Shift from Consultant to Product Manager',
  'Transition from Marketing to Product Management',
  'Becoming a Product Manager as an Engineer',
  'Transition from Design to Product Management',
  'Moving from Sales to Product Management',
  'Quick-fire Round: Transferable Skills',
  'There Are Many Product Manager Backgrounds',
  'Transition to Product Management FAQs',
];

describe('the not-covered answer', () => {
  it('describes one document as ANSWERS.md example 5 does: its title, its section count, the first and last sections', () => {
    const index = indexOf([
      {
        id: 'guide',
        title: 'How to Transition to Product Management From ANY Background',
        sections: GUIDE_SECTIONS,
        intro: true,
      },
    ]);
    const response = notCoveredResponse(index, 'extractive');
    expect(response).toMatchObject({ grounded: false, support: 'none', citations: [], mode: 'extractive' });
    expect(response.answer).toBe(
      'The guide doesn\'t cover that. It covers "How to Transition to Product Management From ANY Background" ' +
        '(10 sections, from "How to Pivot into Product Management" to "Transition to Product Management FAQs").',
    );
  });

  it('names every document of many by its title with its section count, in corpus order', () => {
    const index = indexOf([
      { id: 'a', title: 'Alpha Guide', sections: GUIDE_SECTIONS, intro: true },
      { id: 'b', title: 'Beta Notes', sections: [], intro: true },
      { id: 'c', title: 'Gamma FAQ', sections: ['One', 'Two'] },
    ]);
    expect(notCoveredResponse(index, 'llm').answer).toBe(
      'The guide doesn\'t cover that. It covers 3 documents: "Alpha Guide" (10 sections), "Beta Notes" (1 section) and "Gamma FAQ" (2 sections).',
    );
  });

  it('lists no section headings when there are several documents, however many sections they have', () => {
    const index = indexOf([
      { id: 'a', title: 'Alpha Guide', sections: GUIDE_SECTIONS },
      { id: 'b', title: 'Beta Notes', sections: ['Only'] },
    ]);
    const { answer } = notCoveredResponse(index, 'extractive');
    for (const heading of GUIDE_SECTIONS) expect(answer).not.toContain(heading);
  });
});
