import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const evalQuestionSchema = z.object({
  id: z.string(),
  question: z.string(),
  /** Sections that answer it; empty when the guide does not cover it. */
  sections: z.array(z.string()),
  history: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.string() })).optional(),
});
export type EvalQuestion = z.infer<typeof evalQuestionSchema>;

/** Read a JSONL evaluation set; a bad line is reported with its number. */
export async function readEvalSet(path: string): Promise<EvalQuestion[]> {
  const lines = (await readFile(path, 'utf8')).split('\n');
  const out: EvalQuestion[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const parsed = evalQuestionSchema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${path}:${i + 1}: ${parsed.error.issues[0]?.message}`);
    out.push(parsed.data);
  });
  return out;
}
