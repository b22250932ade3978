import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createOpenAIEmbeddings, openAIEmbedderKey } from '../../src/embeddings/openai-embeddings.ts';
import { OPENAI_TEST_API_KEY, OPENAI_TEST_BASE_URL, useOpenAITestServer } from '../mocks/openai-server.ts';

const openai = useOpenAITestServer({ dims: 12 });
const config = loadConfig({
  EMBEDDINGS: 'openai',
  OPENAI_API_KEY: OPENAI_TEST_API_KEY,
  OPENAI_BASE_URL: OPENAI_TEST_BASE_URL,
  EMBEDDINGS_MODEL: 'test-embed-1',
});

describe('createOpenAIEmbeddings', () => {
  it('asks the configured server for base64 embeddings with the key and model, and decodes them', async () => {
    const embeddings = createOpenAIEmbeddings(config);
    const vectors = await embeddings.embedDocuments(['first text', 'second text']);
    const [request, ...others] = openai.embeddingRequests();
    expect(others).toHaveLength(0);
    expect(request!.url.href).toBe(`${OPENAI_TEST_BASE_URL}/embeddings`);
    expect(request!.headers.get('authorization')).toBe(`Bearer ${OPENAI_TEST_API_KEY}`);
    expect(request!.body).toMatchObject({
      model: 'test-embed-1',
      input: ['first text', 'second text'],
      encoding_format: 'base64',
    });
    expect(vectors).toHaveLength(2);
    // float32 round trip of what the server meant
    for (const [i, text] of ['first text', 'second text'].entries()) {
      expect(Array.from(vectors[i]!)).toEqual(Array.from(Float32Array.from(openai.vectorFor(text))));
    }
  });

  it('sends at most 128 inputs per request', async () => {
    const texts = Array.from({ length: 300 }, (_, i) => `text number ${i}`);
    const vectors = await createOpenAIEmbeddings(config).embedDocuments(texts);
    const sizes = openai.embeddingRequests().map((r) => (r.body.input as string[]).length);
    expect(sizes.sort((a, b) => b - a)).toEqual([128, 128, 44]);
    expect(vectors).toHaveLength(300);
    expect(Array.from(vectors[299]!)).toEqual(Array.from(Float32Array.from(openai.vectorFor('text number 299'))));
  });

  it('uses a placeholder key for a keyless OpenAI-compatible server', async () => {
    const keyless = loadConfig({
      EMBEDDINGS: 'openai',
      OPENAI_BASE_URL: 'http://localhost:11434/v1',
      OPENAI_API_KEY: '',
    });
    await createOpenAIEmbeddings(keyless).embedQuery('hello');
    const [request] = openai.embeddingRequests();
    expect(request!.url.href).toBe('http://localhost:11434/v1/embeddings');
    expect(request!.headers.get('authorization')).toBe('Bearer no-key');
  });

  it('fails at once on a 401, without retrying', async () => {
    openai.on('/embeddings', () =>
      HttpResponse.json(
        { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } },
        { status: 401 },
      ),
    );
    await expect(createOpenAIEmbeddings(config).embedQuery('x')).rejects.toThrow(/401/);
    expect(openai.embeddingRequests()).toHaveLength(1);
  });

  it('keys the embedding cache by server and model', () => {
    expect(openAIEmbedderKey(config)).toBe(`openai:${OPENAI_TEST_BASE_URL}:test-embed-1`);
    expect(openAIEmbedderKey(loadConfig({ EMBEDDINGS: 'openai' }))).toBe(
      'openai:https://api.openai.com/v1:text-embedding-3-small',
    );
  });
});
