/**
 * What kind of statement answers a question, from its English form: a step for "how", a
 * reason for "why", the skills for "what do I bring". The composer leads with a statement of
 * that kind, so the first line answers the question as asked.
 */
export type QuestionKind = 'why' | 'bring' | 'how' | 'other';

const WHY = /\b(?:why|how come|what(?:['’]s| is) the (?:reason|point)|for what reason)\b/i;
const BRING =
  /\b(?:bring|transfer(?:s|red|able|rable)?|carry over|skills?|strengths?|good at|offer|(?:what|which) (?:of my|parts of my))\b/i;
const HOW = new RegExp(
  [
    String.raw`\bhow (?:do|can|could|should|would|does|did|might|am|will)\b`,
    // Not a skill the question names ("do I need to know how to code?" asks whether, not how).
    String.raw`(?<!\b(?:know|knowing|learn|learning|understand)\s)\bhow to\b`,
    String.raw`\bwhat (?:steps|should i do|do i do|can i do|to do|would you do|is the best way|are the steps|are the ways)\b`,
    String.raw`\bwhere (?:do|should|can|could|would) i (?:even |first |now )?(?:start|begin)\b`,
    String.raw`\bwhere to (?:start|begin)\b`,
    String.raw`\b(?:ways?|steps?) to\b`,
    String.raw`\bfirst steps?\b`,
    String.raw`\b(?:get|break|move|switch|pivot|transition) into\b`,
    String.raw`\bmake the (?:switch|move|jump|leap|transition)\b`,
  ].join('|'),
  'i',
);

export function questionKind(question: string): QuestionKind {
  if (WHY.test(question)) return 'why';
  if (BRING.test(question)) return 'bring';
  if (HOW.test(question)) return 'how';
  return 'other';
}

/** "List the...", "what are all the...", "which backgrounds...": a question whose answer is a list may run longer. */
const ASKS_FOR_LIST =
  /\b(?:list|every|all the|all of the|which (?:\w+ )?(?:backgrounds|roles|skills|paths|jobs|careers|options|steps)|what are (?:the|some|all) (?:\w+ )?(?:backgrounds|roles|skills|paths|options|steps|ways))\b/i;

export function asksForList(question: string): boolean {
  return ASKS_FOR_LIST.test(question);
}
