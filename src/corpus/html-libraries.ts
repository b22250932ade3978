import type { Readability } from '@mozilla/readability';
import type { gfm } from '@joplin/turndown-plugin-gfm';
import type { parseHTML } from 'linkedom/worker';
import type TurndownService from 'turndown';

/** The packages that turn a web page into Markdown. */
export interface HtmlLibraries {
  parseHTML: typeof parseHTML;
  Readability: typeof Readability;
  TurndownService: typeof TurndownService;
  gfm: typeof gfm;
}

let loading: Promise<HtmlLibraries> | null = null;

/**
 * The extraction packages, imported on first use. Only an ingest that meets HTML needs them,
 * and they are the costliest imports on its path; imported statically, the server bundle
 * (`npm start`, which can re-index) would load them at every start-up.
 * linkedom comes as its one-file build (an export of the package): the same DOM, loaded
 * several times faster than its ~250 separate modules.
 */
export function loadHtmlLibraries(): Promise<HtmlLibraries> {
  loading ??= Promise.all([
    import('linkedom/worker'),
    import('@mozilla/readability'),
    import('turndown'),
    import('@joplin/turndown-plugin-gfm'),
  ]).then(([linkedom, readability, turndown, gfmPlugin]) => ({
    parseHTML: linkedom.parseHTML,
    Readability: readability.Readability,
    TurndownService: turndown.default,
    gfm: gfmPlugin.gfm,
  }));
  return loading;
}
