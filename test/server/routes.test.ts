import { beforeAll, describe, expect, it } from 'vitest';
import type { AskResponse } from '../../src/rag/types.ts';
import { createApp } from '../../src/server/app.ts';
import { askRequest } from '../helpers/ask-request.ts';
import { useFixtureIndex } from '../helpers/build-fixture-index.ts';
import { appDeps, collapse, fixtureSections } from './harness.ts';

/** GET /health, /openapi.json and /source/:document on the real app and a real fixture index. */

const fixture = useFixtureIndex();
let app: ReturnType<typeof createApp>;

beforeAll(() => {
  app = createApp(appDeps(fixture.index));
});

describe('GET /health', () => {
  it('reports status ok and the generation being served', async () => {
    const res = await app.request('/health');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { status: string; index: Record<string, unknown> };
    expect(Object.keys(body).sort()).toEqual(['index', 'status']);
    expect(body.status).toBe('ok');
    expect(Object.keys(body.index).sort()).toEqual(['builtAt', 'chunks', 'documents', 'embedder', 'generation']);
    expect(body.index).toMatchObject({
      documents: 2,
      chunks: fixture.summary.chunks,
      generation: fixture.summary.generation,
      embedder: expect.stringMatching(/^local/),
    });
    expect(Number.isNaN(Date.parse(body.index.builtAt as string))).toBe(false);
  });
});

describe('GET /openapi.json', () => {
  type OpenApi = {
    openapi: string;
    paths: Record<
      string,
      Record<
        string,
        {
          requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
          parameters?: Array<{ name: string; in: string }>;
          responses: Record<string, unknown>;
        }
      >
    >;
    components: {
      schemas: Record<
        string,
        {
          type?: string;
          properties?: Record<string, Record<string, unknown>>;
          required?: string[];
          additionalProperties?: boolean;
        }
      >;
    };
  };
  let doc: OpenApi;

  beforeAll(async () => {
    const res = await app.request('/openapi.json');
    expect(res.status).toBe(200);
    doc = (await res.json()) as OpenApi;
  });

  it('is OpenAPI 3.1', () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
  });

  it('documents /ask, /health and /source/{document}', () => {
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/ask', '/health', '/source/{document}']));
    expect(doc.paths['/ask']!.post).toBeDefined();
    expect(doc.paths['/health']!.get).toBeDefined();
    expect(doc.paths['/source/{document}']!.get!.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'document', in: 'path' })]),
    );
    expect(Object.keys(doc.paths['/ask']!.post!.responses)).toEqual(
      expect.arrayContaining(['200', '400', '413', '415', '429', '502', '503', '504']),
    );
  });

  it('describes the /ask body with the AskRequest schema and its limits', () => {
    const ref = doc.paths['/ask']!.post!.requestBody!.content['application/json']!.schema.$ref;
    expect(ref).toBe('#/components/schemas/AskRequest');
    const ask = doc.components.schemas.AskRequest!;
    expect(ask.type).toBe('object');
    expect(Object.keys(ask.properties!).sort()).toEqual(['history', 'k', 'question']);
    expect(ask.required).toEqual(['question']);
    expect(ask.additionalProperties).toBe(false);
    expect(ask.properties!.k).toMatchObject({ type: 'integer', minimum: 1, maximum: 10 });
    expect(ask.properties!.history).toMatchObject({ type: 'array', maxItems: 20 });
    expect(doc.components.schemas).toHaveProperty('AskResponse');
    expect(doc.components.schemas).toHaveProperty('Error');
  });
});

describe('GET /source/:document', () => {
  const sections = fixtureSections();
  const documents = [...new Set(sections.map((s) => s.document))];

  it.each(documents)('renders %s with an id on every section heading equal to its anchor', async (document) => {
    const res = await app.request(`/source/${document}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    const headingIds = [...html.matchAll(/<h[1-6]\s+id="([^"]+)"/g)].map((m) => m[1]);
    for (const s of sections.filter((x) => x.document === document)) expect(headingIds, s.heading).toContain(s.anchor);
  });

  it('renders every anchor a citation can point to', async () => {
    const anchors = new Set(fixture.index.chunks.map((c) => `${c.document}#${c.anchor}`));
    for (const key of anchors) {
      const [document, anchor] = key.split('#') as [string, string];
      const html = await (await app.request(`/source/${document}`)).text();
      expect(html, key).toMatch(new RegExp(`<h[1-6]\\s+id="${anchor}"`));
    }
  });

  it('shows the quoted words of an /ask citation on the linked page', async () => {
    const res = await app.request('/ask', askRequest({ question: 'How do I move from sales into product?' }));
    const { citations } = (await res.json()) as AskResponse;
    expect(citations.length).toBeGreaterThan(0);
    for (const c of citations) {
      const html = await (await app.request(c.url.split('#')[0]!)).text();
      expect(html).toContain(`id="${c.anchor}"`);
      expect(pageText(html)).toContain(collapse(c.quote));
    }
  });

  it('sends a Content-Security-Policy that allows no inline or foreign script', async () => {
    const res = await app.request('/source/transition-product-management-background');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('never renders raw HTML from the corpus as markup: no script element, no event handler', async () => {
    const res = await app.request('/source/product-side-projects');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    // No attribute of any real tag is an event handler.
    expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
    // The document's own text is still there.
    expect(pageText(html)).toContain('Hiring managers read these case studies to see how you think about users.');
  });

  it('answers 404 JSON for an unknown document', async () => {
    for (const path of [
      '/source/no-such-document',
      '/source/..%2F..%2Fpackage',
      '/source/transition-product-management-background.md',
    ]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'not_found', message: expect.any(String) } });
    }
  });
});

/** Visible text of an HTML page, entities decoded, whitespace collapsed. */
function pageText(html: string): string {
  const text = html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  return collapse(text);
}
