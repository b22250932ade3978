/** Whether the assistant serves pages on this origin: `allowed`, `refused`, or `unknown` (no answer). */
export type WidgetAccess = 'allowed' | 'refused' | 'unknown';

/**
 * Ask the assistant whether this page's origin may use it (GET /widget/access, which answers
 * any origin). `unknown` when it cannot be reached: the question is then tried anyway, and a
 * failure is shown as what it is, a connection problem.
 */
export async function checkAccess(origin: string): Promise<WidgetAccess> {
  try {
    const response = await fetch(`${origin}/widget/access`, { headers: { Accept: 'application/json' } });
    if (!response.ok) return 'unknown';
    const body = (await response.json()) as { allowed?: unknown };
    return body.allowed === true ? 'allowed' : body.allowed === false ? 'refused' : 'unknown';
  } catch {
    return 'unknown';
  }
}
