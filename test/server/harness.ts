import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import GithubSlugger from 'github-slugger';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect } from 'vitest';
import type { AskResponse, Citation } from '../../src/rag/types.ts';
import { createApp } from '../../src/server/app.ts';
import { appDeps } from '../helpers/app-deps.ts';
import { guideFixtureDir, useFixtureIndex, type FixtureIndex } from '../helpers/build-fixture-index.ts';
import { loopbackPassthrough, serveOnLoopback, type Loopback } from '../helpers/loopback.ts';
import { markers, numberingProblems } from '../helpers/citation-rules.ts';
import { askEventOrderProblems, askStreamParts, parseSse, type SseEvent } from '../helpers/sse.ts';

export { parseSse, type SseEvent };

/** Dependencies for createApp in tests (see test/helpers/app-deps.ts). */
export { appDeps } from '../helpers/app-deps.ts';

/** A real server on loopback (see test/helpers/loopback.ts). */
export type RunningServer = Loopback;
export const startServer = (app: ReturnType<typeof createApp>): Promise<RunningServer> => serveOnLoopback(app);

/**
 * For the whole test file: no network (useNoNetwork), the fixture index, and the real app
 * (extractive answers) served from it on loopback. Read the fields inside hooks and tests.
 */
export function useFixtureServer(): {
  readonly fixture: Omit<FixtureIndex, 'dispose'>;
  readonly server: RunningServer;
} {
  useNoNetwork();
  const fixture = useFixtureIndex();
  let server: RunningServer | undefined;
  beforeAll(async () => {
    server = await startServer(createApp(appDeps(fixture.index)));
  });
  // Registered after the fixture's afterAll, so it runs first: the server closes before its index goes.
  afterAll(() => server?.close());
  return {
    fixture,
    get server() {
      if (!server) throw new Error('server not started yet: read it inside a hook or test');
      return server;
    },
  };
}

/**
 * No test reaches the network: any request msw sees fails the test, except requests to our
 * own server on loopback, which go through untouched.
 */
export function useNoNetwork(): void {
  const guard = setupServer(loopbackPassthrough());
  beforeAll(() => guard.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => guard.close());
}

export interface AskStream {
  events: SseEvent[];
  citations: Citation[];
  deltas: string[];
  done: AskResponse;
}

/** The contract's SSE sequence: citations, one or more deltas, done (asserted by the caller). */
export function readAskStream(events: SseEvent[]): AskStream {
  const { citations, deltas, done } = askStreamParts(events);
  return { events, citations, deltas, done: done ?? (undefined as unknown as AskResponse) };
}

/** Assert the contract's SSE order: `citations` first, `done` last, and one or more `delta` between. */
export function expectAskEventOrder(events: SseEvent[]): void {
  expect(askEventOrderProblems(events)).toEqual([]);
}

/** Marker numbers in an answer, in order of appearance. */
export { markers };

export const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();

export interface FixtureSection {
  document: string;
  heading: string;
  anchor: string;
  /** The raw Markdown under the heading, up to the next heading, whitespace collapsed. */
  text: string;
}

/**
 * The fixture's sections read straight from the Markdown files (independently of the
 * app's own parser): every heading, its GitHub-style anchor, and the text under it.
 */
export function fixtureSections(dir: string = guideFixtureDir): FixtureSection[] {
  const out: FixtureSection[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()) {
    const document = file.replace(/\.md$/, '');
    const body = readFileSync(join(dir, file), 'utf8').replace(/^---\n[\s\S]*?\n---\n/, '');
    const slugger = new GithubSlugger();
    const headings = [...body.matchAll(/^(#{1,6})\s+(.+?)\s*$/gm)];
    headings.forEach((m, i) => {
      const start = m.index + m[0].length;
      const end = i + 1 < headings.length ? headings[i + 1]!.index : body.length;
      out.push({ document, heading: m[2]!, anchor: slugger.slug(m[2]!), text: collapse(body.slice(start, end)) });
    });
  }
  return out;
}

/**
 * Assert-free check of the contract's citation rules; returns the problems found so a
 * failing test shows all of them at once.
 */
export function citationProblems(response: AskResponse, sections: FixtureSection[] = fixtureSections()): string[] {
  const problems = numberingProblems(response);
  for (const c of response.citations) {
    const section = sections.find((s) => s.document === c.document && s.heading === c.section);
    if (!section) {
      problems.push(`citation ${c.id}: "${c.section}" is not a heading of ${c.document}`);
      continue;
    }
    if (c.anchor !== section.anchor) problems.push(`citation ${c.id}: anchor ${c.anchor}, expected ${section.anchor}`);
    if (c.url !== `/source/${c.document}#${section.anchor}`) problems.push(`citation ${c.id}: url ${c.url}`);
    if (!c.quote.trim()) problems.push(`citation ${c.id}: empty quote`);
    else if (!section.text.includes(collapse(c.quote)))
      problems.push(`citation ${c.id}: quote is not in section "${c.section}": ${c.quote}`);
  }
  return problems;
}
