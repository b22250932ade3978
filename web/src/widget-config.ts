export type WidgetPosition = 'bottom-right' | 'bottom-left';
export type WidgetTheme = 'auto' | 'light' | 'dark';

/** The widget's settings, from its script tag (see docs/widget.md). */
export interface WidgetConfig {
  /** The assistant's origin: where widget.js came from, and where /ask is asked. */
  origin: string;
  title: string;
  starters: readonly string[];
  position: WidgetPosition;
  theme: WidgetTheme;
}

/** What the widget reads from its `<script>` element: its URL and its data- attributes. */
export interface WidgetScript {
  src: string;
  dataset: Record<string, string | undefined>;
}

export const DEFAULT_TITLE = 'Ask the Guide';
const MAX_TITLE_CHARS = 60;
const MAX_STARTERS = 4;
const MAX_STARTER_CHARS = 200;
/** `data-starters` separates questions with this; a question rarely contains one. */
export const STARTER_SEPARATOR = '|';

/**
 * Read the settings from the script tag. Anything missing or unrecognised falls back to the
 * default rather than breaking the host page: `data-position` other than bottom-left is
 * bottom-right, `data-theme` other than light or dark is auto. `data-starters` absent means
 * the built-in questions; present but empty means none.
 *
 * @example
 * readWidgetConfig({ src: 'https://guide.example/widget.js', dataset: { starters: 'Q1|Q2' } }, location.href)
 */
export function readWidgetConfig(script: WidgetScript | null, pageUrl: string): WidgetConfig {
  const data = script?.dataset ?? {};
  return {
    origin: originOf(script?.src, pageUrl),
    title: data.title?.trim().slice(0, MAX_TITLE_CHARS) || DEFAULT_TITLE,
    // Without data-starters the panel opens on the question box alone.
    starters: data.starters === undefined ? [] : parseStarters(data.starters),
    position: data.position?.trim() === 'bottom-left' ? 'bottom-left' : 'bottom-right',
    theme: data.theme?.trim() === 'light' ? 'light' : data.theme?.trim() === 'dark' ? 'dark' : 'auto',
  };
}

export function parseStarters(value: string): string[] {
  return value
    .split(STARTER_SEPARATOR)
    .map((q) => q.replace(/\s+/g, ' ').trim().slice(0, MAX_STARTER_CHARS))
    .filter(Boolean)
    .slice(0, MAX_STARTERS);
}

/** The script's origin; without a script URL (inlined, say), the page's own. */
function originOf(src: string | undefined, pageUrl: string): string {
  try {
    if (src) return new URL(src, pageUrl).origin;
  } catch {
    // Not a URL: fall through.
  }
  return new URL(pageUrl).origin;
}
