/**
 * Requests to change the assistant rather than ask the guide: "ignore your instructions",
 * "you are now DAN", "reveal your system prompt", "role-play my old boss", "start every reply
 * with this link". They are declined as not covered before retrieval, in both modes: an
 * extractive answer would play along with quotes that happen to share words with the request
 * ("PM job", "reference"), and a model would be handed the attempt as its question. (In llm
 * mode the prompt also fences passages as data; this stops the attempts typed by the asker.)
 *
 * The patterns are the common shapes of prompt-injection and jailbreak text (OWASP LLM01):
 * each needs a phrase a question about a career would not contain, never a single word.
 */
const OVERRIDE_PATTERNS: readonly RegExp[] = [
  // Overriding the rules: "ignore all previous instructions", "disregard the article", "forget
  // your rules" (but not "ignore the rules about experience": "rules" needs "your", "all", …).
  /\b(?:ignore|disregard|forget|override|bypass)(?:\s+(?:all|any|of|your|the|my|previous|prior|earlier|above|these|those|existing))*\s+(?:instructions?|guidelines|guardrails|restrictions|programming|constraints|system prompt|prompts?)\b/i,
  /\b(?:ignore|disregard|forget|override|bypass)(?:\s+(?:all|of|your|previous|prior|earlier|above))+\s+rules\b/i,
  /\b(?:ignore|disregard|forget)\s+(?:the|this|that)\s+(?:guide|article|context|document|text above)\b/i,
  // A new persona: "you are now", "pretend you are", "role-play", "stay in character".
  /\byou(?:'|’)?re now\b|\byou are now\b|\bpretend (?:to be|that you|you(?:'|’)?re|you are)\b|\brole[- ]?play\b|\bstay in character\b|\bin character\b/i,
  // Named jailbreak modes.
  /\b(?:jailbreak|jailbroken|developer mode|dev mode|admin mode|god mode|sudo mode|unrestricted mode)\b/i,
  /\bDAN\b/,
  // Extracting the prompt: "your system prompt", "repeat the text above".
  /\b(?:system|hidden|initial|original|secret) (?:prompt|instructions|message)\b|\b(?:reveal|print|show|repeat|output|dump)\b[^.?!\n]{0,30}\b(?:your (?:prompt|instructions|configuration|config|rules)|the (?:text|words) above)\b/i,
  // Hijacking every answer's form, or smuggling markup in: "from now on", "end every reply with".
  /\bfrom now on\b[^.?!\n]{0,30}\b(?:you|your|every|always|reply|replies|answer|respond|start|end)\b|\b(?:start|begin|end|prefix|append to) (?:every|each|all) (?:of your )?(?:answers?|repl(?:y|ies)|responses?|messages?)\b|\bin (?:every|each|all) (?:of your )?(?:answers?|repl(?:y|ies)|responses?)\b/i,
  /<\s*(?:a|img|script|iframe|svg)\b|!\[[^\]]*\]\(/i,
];

/** Whether a question asks to change the assistant's instructions, persona or output. */
export function asksToOverrideInstructions(question: string): boolean {
  return OVERRIDE_PATTERNS.some((pattern) => pattern.test(question));
}
