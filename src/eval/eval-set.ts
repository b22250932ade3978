import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const turnSchema = z.object({ role: z.enum(['user', 'assistant']), content: z.string() });

const evalQuestionSchema = z
  .object({
    id: z.string(),
    question: z.string(),
    /** Sections that answer it; empty when the guide does not cover it. */
    sections: z.array(z.string()),
    history: z.array(turnSchema).optional(),
    /**
     * For a question the guide does not cover: `related` when it is on the guide's topic (a
     * salary, interview rounds, a visa), `none` when it is off topic or an override attempt.
     */
    expect: z.enum(['related', 'none']).optional(),
    /**
     * The history holds only the user's turns: the eval asks each of them first and keeps the
     * pipeline's real answers, so the question is a follow-up to what the reader was shown.
     */
    followUp: z.boolean().optional(),
  })
  .refine((q) => q.expect === undefined || q.sections.length === 0, {
    message: '"expect" is only for questions with no expected sections',
  })
  .refine((q) => !q.followUp || (q.history?.length && q.history.every((turn) => turn.role === 'user')), {
    message: '"followUp" needs a history of user turns only (the eval asks them and keeps the real answers)',
  });
export type EvalQuestion = z.infer<typeof evalQuestionSchema>;

/** Read a JSONL evaluation set; a bad line is reported with its number. */
export async function readEvalSet(path: string): Promise<EvalQuestion[]> {
  const lines = (await readFile(path, 'utf8')).split('\n');
  const out: EvalQuestion[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`${path}:${i + 1}: not valid JSON`);
    }
    const parsed = evalQuestionSchema.safeParse(value);
    if (!parsed.success) throw new Error(`${path}:${i + 1}: ${parsed.error.issues[0]?.message}`);
    out.push(parsed.data);
  });
  return out;
}
