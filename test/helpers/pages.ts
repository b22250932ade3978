import { fileURLToPath } from 'node:url';

/** Fixture web pages served on loopback by the fetch tests (test/fixtures/pages/). */
export const pagesFixtureDir = fileURLToPath(new URL('../fixtures/pages/', import.meta.url));
