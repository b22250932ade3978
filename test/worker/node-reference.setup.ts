/**
 * Vitest global setup, run in Node before the workerd tests. From the generation the
 * Worker bundle was exported from, loaded from disk the way the Node server loads it
 * (hnswlib search), it computes what the tests inside workerd compare against:
 * the Node pipeline's answer to every evaluation question, and each section's source text.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../src/config.ts';
import { splitSections } from '../../src/corpus/split-sections.ts';
import { readEvalSet } from '../../src/eval/eval-set.ts';
import type { IndexBundle } from '../../src/index/bundled-index.ts';
import { loadGeneration, localOnlyQueryEmbedder } from '../../src/index/load-generation.ts';
import { answerOnce } from '../../src/rag/answer-question.ts';
import type { NodeAnswer, SourceSection } from './reference-types.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export default async function setup(project: TestProject): Promise<void> {
  const bundlePath = join(ROOT, 'dist', 'worker', 'index-data.js');
  const bundle = (
    (await import(pathToFileURL(bundlePath).href).catch(() => {
      throw new Error(`${bundlePath} is missing: run npm run build:worker first`);
    })) as { default: IndexBundle }
  ).default;

  const config = loadConfig({ INDEX_DIR: process.env.INDEX_DIR });
  const index = await loadGeneration(config.INDEX_DIR, bundle.generation, localOnlyQueryEmbedder).catch(
    (error: Error) => {
      throw new Error(
        `cannot load generation ${bundle.generation}, which the Worker bundle was built from (${error.message}); run npm run build:worker`,
      );
    },
  );

  const sections: SourceSection[] = [...index.documents.values()]
    .flatMap((doc) => splitSections({ ...doc, fileName: `${doc.id}.md` }))
    .map((s) => ({ document: s.document, heading: s.heading, anchor: s.anchor, text: s.text }));

  const answers: NodeAnswer[] = [];
  for (const q of await readEvalSet(join(ROOT, 'eval', 'questions.jsonl'))) {
    const response = await answerOnce(
      index,
      { question: q.question, history: q.history },
      { mode: 'extractive' },
      AbortSignal.timeout(10_000),
    );
    answers.push({ id: q.id, question: q.question, history: q.history, response });
  }
  project.provide('nodeReference', { generation: bundle.generation, sections, answers });
}
