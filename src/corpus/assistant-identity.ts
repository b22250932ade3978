import type { Section } from './types.ts';

/** Who the assistant is, as the UI and the llm prompt present it; stored in each index generation. */
export interface AssistantIdentity {
  name: string;
  description: string;
  /** Questions offered on the empty page and after a "not covered" answer. */
  starters: string[];
}

/** The name when assistant.yaml gives none and the corpus holds several documents. */
export const NEUTRAL_NAME = 'Ask the Guide';
const DEFAULT_STARTERS = 4;

/**
 * assistant.yaml's values, and defaults from the documents for what it leaves out: the only
 * document's title as the name (a neutral name for several), and section headings as the
 * starters. Headings are offered as they are written, not rewritten into questions: a
 * heading is the one query certain to be on a section's topic, and heading styles vary too
 * much ("Quick-fire Round: Transferable Skills", "FAQs") for a rewrite rule to read well.
 * With several documents the starters take turns between them.
 */
export function resolveAssistantIdentity(
  config: { name?: string; description?: string; starters?: string[] } | null,
  documents: ReadonlyArray<{ id: string; title: string }>,
  sections: readonly Section[],
): AssistantIdentity {
  const titles = documents.map((d) => d.title);
  const name = config?.name ?? (titles.length === 1 ? titles[0]! : NEUTRAL_NAME);
  const description =
    config?.description ??
    (titles.length === 1
      ? `Ask anything “${titles[0]}” covers.`
      : `Ask anything these ${titles.length} documents cover.`);
  return { name, description, starters: config?.starters ?? headingStarters(documents, sections) };
}

function headingStarters(
  documents: ReadonlyArray<{ id: string; title: string }>,
  sections: readonly Section[],
): string[] {
  const queues = documents.map((doc) => {
    // The section under the title only repeats it; the sections below it name the topics.
    const own = sections.filter((s) => s.document === doc.id);
    const below = own.filter((s) => s.headingPath.length > 1);
    return [...new Set((below.length ? below : own).map((s) => s.heading))];
  });
  const starters: string[] = [];
  for (let round = 0; starters.length < DEFAULT_STARTERS && queues.some((q) => q.length > round); round++) {
    for (const queue of queues) if (queue[round] && starters.length < DEFAULT_STARTERS) starters.push(queue[round]!);
  }
  return starters;
}
