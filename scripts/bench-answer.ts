/**
 * npm run bench:answer — CPU cost of one extractive answer in process, and of its stages, on
 * the current index (npm run ingest first). Every eval question (eval/*.jsonl) is asked
 * ROUNDS times, with no answer cache; the per-word and per-passage memos (stems, features,
 * BM25 postings, spelling corrections) are warm after the warm-up pass, as in a running
 * server. The figure is the mean per question (what `npm run bench` measures over HTTP for
 * uncached /ask, without the HTTP), and the worst case a single request can ask for.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { readEvalSet } from '../src/eval/eval-set.ts';
import { corpusVocabulary, searchLexical } from '../src/index/lexical-index.ts';
import { loadCurrentGeneration, localOnlyQueryEmbedder } from '../src/index/load-generation.ts';
import { answerOnce } from '../src/rag/answer-question.ts';
import { extractiveAnswer } from '../src/rag/extractive-answer.ts';
import { decideOutcome } from '../src/rag/outcome.ts';
import { queryTerms } from '../src/rag/query-terms.ts';
import { retrieve } from '../src/rag/retrieve.ts';
import { DEFAULT_K, MAX_HISTORY_CONTENT_CHARS, MAX_QUESTION_CHARS } from '../src/http-contract.ts';
import { rng } from './rng.ts';

const ROUNDS = 20;

const config = loadConfig(process.env);
const index = await loadCurrentGeneration(config.INDEX_DIR, localOnlyQueryEmbedder);
if (!index) throw new Error(`no index in ${config.INDEX_DIR}: run npm run ingest first`);
const files = (await readdir('eval')).filter((f) => f.endsWith('.jsonl')).map((f) => join('eval', f));
const questions = (await Promise.all(files.map((f) => readEvalSet(f)))).flat().map((q) => q.question);

async function measure(name: string, run: (question: string, i: number) => unknown): Promise<void> {
  for (let i = 0; i < questions.length; i++) await run(questions[i]!, i); // warm-up
  const started = performance.now();
  for (let round = 1; round <= ROUNDS; round++)
    for (let i = 0; i < questions.length; i++) await run(`${questions[i]} ${round}`, i);
  const micros = ((performance.now() - started) * 1000) / (ROUNDS * questions.length);
  console.log(`  ${name.padEnd(34)} ${micros.toFixed(0).padStart(5)} µs`);
}

console.log(
  `bench:answer: ${questions.length} questions × ${ROUNDS} rounds, index of ${index.chunks.length} chunks, mean per question`,
);
await measure('answerOnce (whole extractive answer)', (q) =>
  answerOnce(index, { question: q }, { mode: 'extractive' }),
);
await measure(`retrieve (hybrid, fused, top ${DEFAULT_K})`, (q) => retrieve(index, { text: q }, DEFAULT_K));
await measure('  query terms', (q) => queryTerms(q, index.localEmbedder, corpusVocabulary(index.lexical)));
await measure('  one local query vector', (q) => index.localEmbedder.embedQueryVector(q));
const vectors = questions.map((q) => index.localEmbedder.embedQueryVector(q));
await measure('  vector search (top 24)', (_q, i) => index.vectors.search(vectors[i]!, 24));
await measure('  BM25 search (top 24)', (q) => searchLexical(index.lexical, q, 24));
const retrievals = await Promise.all(questions.map((q) => retrieve(index, { text: q }, DEFAULT_K)));
const headings = index.statements;
await measure('outcome (answered / related / none)', (q, i) =>
  decideOutcome(q, retrievals[i]!.passages, retrievals[i]!.terms, headings),
);
const decisions = questions.map((q, i) => decideOutcome(q, retrievals[i]!.passages, retrievals[i]!.terms, headings));
await measure('composition', (q, i) => extractiveAnswer(index, { text: q }, retrievals[i]!, decisions[i]!));

// The costliest requests the contract accepts: the longest question made of words no corpus
// has (each looked up, expanded and perhaps spelling-corrected), one single long "word", and a
// follow-up whose history turn is one long word (the topic it carries is analysed too). Fresh
// text every round, from a fixed seed, so no memo helps.
const random = rng(1);
const letters = (n: number) =>
  Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join('');
const nonsenseWords = () => {
  let text = '';
  while (text.length < MAX_QUESTION_CHARS - 10) text += `${letters(9)} `;
  return text.trim();
};
const worstCases: Array<
  [string, () => { question: string; history?: { role: 'user' | 'assistant'; content: string }[] }]
> = [
  [`${MAX_QUESTION_CHARS} characters of unknown 9-letter words`, () => ({ question: nonsenseWords() })],
  [`one ${MAX_QUESTION_CHARS}-letter word`, () => ({ question: letters(MAX_QUESTION_CHARS) })],
  [
    `a follow-up after a ${MAX_HISTORY_CONTENT_CHARS}-letter word`,
    () => ({ question: 'and that?', history: [{ role: 'user', content: letters(MAX_HISTORY_CONTENT_CHARS) }] }),
  ],
];
for (const [name, request] of worstCases) {
  const times: number[] = [];
  for (let round = 0; round < 10; round++) {
    const input = request();
    const started = performance.now();
    await answerOnce(index, input, { mode: 'extractive' });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(`  worst case, ${name}: median of 10 ${times[5]!.toFixed(1)} ms (max ${times[9]!.toFixed(1)} ms)`);
}
