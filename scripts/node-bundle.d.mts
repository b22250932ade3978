import type { BuildOptions } from 'esbuild';

/** See node-bundle.mjs. */
export declare const NODE_BUNDLE_OPTIONS: BuildOptions;
export declare const NODE_SERVER_ENTRIES: Record<string, string>;
export declare function nodeServerBuildOptions(
  root: string,
  outdir: string,
  extra?: Record<string, string>,
): BuildOptions;
