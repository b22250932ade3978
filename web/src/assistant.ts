import { byId } from './dom.ts';

/** What GET /assistant.json describes: the assistant of the index being served. */
export interface Assistant {
  name: string;
  description: string;
  starters: string[];
}

/**
 * The assistant's name, description and starters, fetched once per page. Null when the
 * server cannot say (no index yet, offline): the page keeps its neutral wording.
 */
export async function fetchAssistant(): Promise<Assistant | null> {
  try {
    const response = await fetch('/assistant.json', { headers: { Accept: 'application/json' } });
    if (!response.ok) return null;
    const body = (await response.json()) as Partial<Assistant>;
    if (typeof body.name !== 'string' || typeof body.description !== 'string' || !Array.isArray(body.starters))
      return null;
    return {
      name: body.name,
      description: body.description,
      starters: body.starters.filter((s): s is string => typeof s === 'string'),
    };
  } catch {
    return null;
  }
}

/** Name the page after the assistant: the tab title, the header and the empty page's headline. Text only, never HTML. */
export function presentAssistant(assistant: Assistant): void {
  document.title = assistant.name;
  byId('assistant-name').textContent = assistant.name;
  byId('empty-title').textContent = assistant.description;
  document.querySelector('meta[name="description"]')?.setAttribute('content', assistant.description);
}
