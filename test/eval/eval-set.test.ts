import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEvalSet } from '../../src/eval/eval-set.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs('atg-eval-set-');
const SALES = { role: 'user', content: 'I work in sales.' };
const NOT_COVERED = '{"id": "a", "question": "q", "sections": []}';

async function setOf(...lines: string[]): Promise<string> {
  const path = join(await tempDir(), 'set.jsonl');
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

describe('readEvalSet', () => {
  it('reads labels and follow-up items', async () => {
    const path = await setOf(
      '{"id": "a", "question": "salary?", "sections": [], "expect": "related"}',
      JSON.stringify({ id: 'b', question: 'and then?', history: [SALES], followUp: true, sections: ['S'] }),
    );
    const [label, followUp] = await readEvalSet(path);
    expect(label).toMatchObject({ id: 'a', expect: 'related' });
    expect(followUp).toMatchObject({ id: 'b', followUp: true, history: [SALES] });
  });

  it('names the line of an "expect" on an answerable question', async () => {
    const path = await setOf(NOT_COVERED, '{"id": "b", "question": "q", "sections": ["S"], "expect": "none"}');
    await expect(readEvalSet(path)).rejects.toThrow(/set\.jsonl:2: "expect" is only for questions with no expected/);
  });

  it('refuses a follow-up whose history is not the user turns alone', async () => {
    const scripted = '[{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]';
    const path = await setOf(`{"id": "a", "question": "q", "history": ${scripted}, "followUp": true, "sections": []}`);
    await expect(readEvalSet(path)).rejects.toThrow(/set\.jsonl:1: "followUp" needs a history of user turns only/);
  });

  it('names the line that is not JSON', async () => {
    const path = await setOf(NOT_COVERED, '{oops');
    await expect(readEvalSet(path)).rejects.toThrow(/set\.jsonl:2: not valid JSON/);
  });
});
