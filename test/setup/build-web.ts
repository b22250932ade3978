import { buildWeb, webAssetsStale } from '../../web/build.ts';

/**
 * vitest globalSetup: the built chat UI (dist/web) exists before any test runs, as `npm start`
 * makes sure it does, so the suites that serve `/` check the real page on a fresh checkout
 * instead of depending on whichever test happened to build it first.
 */
export default async function setup(): Promise<void> {
  if (await webAssetsStale()) await buildWeb();
}
