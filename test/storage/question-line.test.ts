import { describe, expect, it } from 'vitest';
import { citedSectionsJson, insertQuestions, questionLine } from '../../src/storage/question-log.ts';
import { questionRecord } from '../helpers/question-store.ts';

/**
 * What a line must be: the JSON array of the record's values in the columns' order, exactly as
 * the one-INSERT path (D1) writes a row of its JSON parameter.
 */
function expectedLine(r: ReturnType<typeof questionRecord>): string {
  const rows = insertQuestions([r]).args![0] as string;
  return rows.slice(1, -1);
}

describe('questionLine', () => {
  it('is the JSON array of the record, for awkward text too', () => {
    const records = [
      questionRecord(),
      questionRecord({ outcome: 'none', citedSections: '{}', question: 'What’s a "PM"?\n\\ ok \u2028 é' }),
      questionRecord({
        outcome: 'related',
        latencyMs: 12.3456,
        citedSections: citedSectionsJson([{ document: 'd "1"', section: 'Ça \\ va\n' }]),
      }),
      questionRecord({ latencyMs: Number.NaN, askedAt: 0 }),
    ];
    for (const record of records) {
      expect(questionLine(record)).toBe(expectedLine(record));
      expect(() => JSON.parse(questionLine(record))).not.toThrow();
      expect(questionLine(record)).not.toContain('\n');
    }
  });

  it('follows a change of outcome, mode or generation for the same cited sections', () => {
    const citedSections = citedSectionsJson([{ document: 'guide', section: 'Why' }]);
    const variants = [
      questionRecord({ citedSections }),
      questionRecord({ citedSections, outcome: 'related' }),
      questionRecord({ citedSections, mode: 'llm' }),
      questionRecord({ citedSections, generation: 'g2' }),
      questionRecord({ citedSections }),
    ];
    for (const record of variants) expect(questionLine(record)).toBe(expectedLine(record));
  });
});
