import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemPrompt } from '../../src/rag/prompts.ts';
import { createApp } from '../../src/server/app.ts';
import { appDeps } from '../helpers/app-deps.ts';
import { askExtractive } from '../helpers/ask-extractive.ts';
import { buildFixtureIndex, useFixtureIndex, type FixtureIndex } from '../helpers/build-fixture-index.ts';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir.ts';

/**
 * A corpus of three documents (Markdown with and without a source_url, and a .txt file), its
 * own synonyms.txt and assistant.yaml, through the real ingest into a real index.
 */
const threeDocsDir = fileURLToPath(new URL('../fixtures/three-docs/', import.meta.url));
const fixture = useFixtureIndex(threeDocsDir);

describe('a corpus of three documents', () => {
  it.each([
    ['What goes in a product requirements document?', 'product-specs', 'What Goes in a Product Requirements Document'],
    [
      'What should I do with the decisions taken in office hours?',
      'office-hours',
      'Office Hours for New Product Managers',
    ],
    ['What should a weekly update tell stakeholders?', 'stakeholder-updates', 'Writing a Weekly Update'],
    ['Should I send routine updates by email or hold a meeting?', 'stakeholder-updates', 'Choosing a Channel'],
  ])('answers "%s" from %s, citing the right section first', async (question, document, section) => {
    const answer = await askExtractive(fixture.index, question);
    expect(answer.support, answer.answer).toBe('answered');
    expect(answer.citations[0]).toMatchObject({ document, section });
  });

  it('reaches "product requirements document" from "PRD" through synonyms.txt', async () => {
    const answer = await askExtractive(fixture.index, 'What goes in a PRD?');
    expect(answer.support, answer.answer).toBe('answered');
    expect(answer.citations[0]).toMatchObject({
      document: 'product-specs',
      section: 'What Goes in a Product Requirements Document',
    });
  });

  it('names all three documents by title, with their section counts, when a question is not covered', async () => {
    const answer = await askExtractive(fixture.index, 'What is a good recipe for banana bread?');
    expect(answer).toMatchObject({ support: 'none', grounded: false, citations: [] });
    expect(answer.answer).toBe(
      'The guide doesn\'t cover that. It covers 3 documents: "Office Hours for New Product Managers" (1 section), ' +
        '"Writing Product Specs" (2 sections) and "Stakeholder Updates" (2 sections).',
    );
  });

  it('links into the original page only for a document with a source_url', async () => {
    const specs = (await askExtractive(fixture.index, 'What goes in a product requirements document?')).citations[0]!;
    expect(specs.sourceUrl).toMatch(/^https:\/\/example\.com\/guides\/product-specs#:~:text=./);
    const hours = (await askExtractive(fixture.index, 'What should I do with the decisions taken in office hours?'))
      .citations[0]!;
    expect(hours.sourceUrl).toBe(hours.url);
  });

  it('serves the configured name, description and starters at GET /assistant.json', async () => {
    const res = await createApp(appDeps(fixture.index)).request('/assistant.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.json()).toEqual({
      name: 'Product Practice Helper',
      description: 'Specs, office hours and stakeholder updates, answered from the team handbook.',
      starters: ['What goes in a PRD?', 'How do I run office hours?', 'What should a weekly update say?'],
    });
  });

  it('answers GET /assistant.json with 503 index_unavailable while there is no index', async () => {
    const res = await createApp(appDeps(null)).request('/assistant.json');
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('index_unavailable');
  });

  it('names the assistant and its documents in the llm system prompt, not a fixed subject', () => {
    const titles = [...fixture.index.documents.values()].map((d) => d.title);
    const prompt = systemPrompt('canary', { name: fixture.index.assistant.name, titles });
    expect(prompt.split('\n')[0]).toBe(
      'You are Product Practice Helper. You answer questions about the subject of "Office Hours for New Product Managers", ' +
        '"Writing Product Specs", "Stakeholder Updates" using only the numbered passages in the user message.',
    );
    expect(prompt).not.toMatch(/product management/i);
  });
});

describe('the same corpus without its synonyms.txt and assistant.yaml', () => {
  let root: string;
  let bare: FixtureIndex;
  beforeAll(async () => {
    root = await makeTempDir('atg-three-docs-');
    await cp(threeDocsDir, root, { recursive: true });
    await rm(join(root, 'synonyms.txt'));
    await rm(join(root, 'assistant.yaml'));
    bare = await buildFixtureIndex(root);
  });
  afterAll(async () => {
    await bare?.dispose();
    await removeTempDir(root);
  });

  it('does not reach the product requirements section from "PRD" (the synonyms are what does)', async () => {
    const answer = await askExtractive(bare.index, 'What goes in a PRD?');
    expect(
      answer.support === 'none' || answer.citations[0]?.section !== 'What Goes in a Product Requirements Document',
    ).toBe(true);
  });

  it('takes a neutral name and heading starters, taking turns between the documents', () => {
    expect(bare.index.assistant).toEqual({
      name: 'Ask the Guide',
      description: 'Ask anything these 3 documents cover.',
      starters: [
        'Office Hours for New Product Managers',
        'What Goes in a Product Requirements Document',
        'Writing a Weekly Update',
        'Reviewing a Spec with Engineers',
      ],
    });
  });
});
