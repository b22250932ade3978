import type { RatedAnswer, Summary } from '../../storage/question-log.ts';
import { formatCount, outcomeShares, percent, questionsPerDayChart } from './dashboard-charts.ts';
import { escapeHtml } from './escape-html.ts';

/**
 * The owner's pages, rendered on the server: no script at all and styles only from
 * /admin/admin.css, under the site's strict CSP. Everything readers typed is escaped.
 */

export interface DashboardData {
  summary: Summary;
  perDay: Array<{ day: string; count: number }>;
  thumbsDown: RatedAnswer[];
  retentionDays: number;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/admin/admin.css">
</head>
<body>
${body}
</body>
</html>`;
}

/** The sign-in form; `error` says why the last attempt failed. */
export function signInPage(error?: string): string {
  return page(
    'Sign in · Ask the Guide',
    `<main class="sign-in">
<form class="card sign-in-card" method="post" action="/admin/sign-in">
<h1>Owner's dashboard</h1>
<p class="muted">Ask the Guide: what readers ask, and what the guide could not answer.</p>
${error ? `<p class="form-error" role="alert" data-testid="admin-error">${escapeHtml(error)}</p>` : ''}
<label for="admin-token">Admin token</label>
<input id="admin-token" name="token" type="password" autocomplete="current-password" required maxlength="512" autofocus data-testid="admin-token"${error ? ' aria-invalid="true"' : ''}>
<button type="submit" class="button button-primary" data-testid="admin-sign-in">Sign in</button>
</form>
</main>`,
  );
}

/** A page saying the dashboard's data cannot be read now (the database failed). */
export function unavailablePage(): string {
  return page(
    'Dashboard unavailable · Ask the Guide',
    `<main class="sign-in"><div class="card sign-in-card"><h1>Dashboard unavailable</h1>
<p class="form-error" role="alert">The question database cannot be read right now. The guide still answers; see the server log.</p></div></main>`,
  );
}

export function dashboardPage(data: DashboardData): string {
  const { summary } = data;
  const answeredTotal = summary.outcomes.answered + summary.outcomes.related + summary.outcomes.none;
  const ratings = summary.feedback.up + summary.feedback.down;
  return page(
    "Owner's dashboard · Ask the Guide",
    `<header class="top">
<div class="brand"><h1>Ask the Guide</h1><span class="muted">Owner's dashboard</span></div>
<nav class="actions">
<a class="button" href="/admin/api/questions.csv" download>Export CSV</a>
<form method="post" action="/admin/sign-out"><button type="submit" class="button button-ghost" data-testid="admin-sign-out">Sign out</button></form>
</nav>
</header>
<main class="dashboard" data-testid="dashboard">
<section class="stats" aria-label="Totals">
${stat('Questions', formatCount(summary.questions), `last ${data.retentionDays} days`, 'stat-questions')}
${stat('Answered', percent(summary.outcomes.answered, answeredTotal), `${formatCount(summary.outcomes.answered)} questions`, 'stat-answered')}
${stat('Not answered', percent(summary.outcomes.related + summary.outcomes.none, answeredTotal), `${formatCount(summary.outcomes.related + summary.outcomes.none)} questions`, 'stat-unanswered')}
${stat('Helpful', percent(summary.feedback.up, ratings), `${formatCount(summary.feedback.up)} up · ${formatCount(summary.feedback.down)} down`, 'stat-feedback')}
</section>
<section class="card span-2">
<h2>Questions per day</h2>
${questionsPerDayChart(data.perDay)}
</section>
<section class="card">
<h2>Outcomes</h2>
${outcomeShares(summary.outcomes)}
</section>
<section class="card span-3" data-testid="unanswered">
<h2>Questions the guide could not answer</h2>
<p class="muted">Not covered, or only related passages found; repeats grouped by their wording.</p>
${
  summary.unanswered.length
    ? table(
        ['Question', 'Times', 'Last asked'],
        summary.unanswered.map((u) => [escapeHtml(u.question), num(u.count), time(u.lastAsked)]),
      )
    : empty('Every recorded question was answered.')
}
</section>
<section class="card span-2" data-testid="thumbs-down">
<h2>Answers rated unhelpful</h2>
${data.thumbsDown.length ? `<ul class="rated">${data.thumbsDown.map(ratedAnswer).join('')}</ul>` : empty('No answer has been rated down.')}
</section>
<section class="card" data-testid="top-sections">
<h2>Most-cited sections</h2>
${
  summary.topSections.length
    ? table(
        ['Section', 'Cited'],
        summary.topSections.map((s) => [
          `${escapeHtml(s.section)}<span class="muted block">${escapeHtml(s.document)}</span>`,
          num(s.count),
        ]),
      )
    : empty('No answer has cited a section yet.')
}
</section>
</main>`,
  );
}

function stat(label: string, value: string, detail: string, testId: string): string {
  return `<div class="card stat" data-testid="${testId}"><span class="stat-label">${escapeHtml(label)}</span><span class="stat-value">${escapeHtml(value)}</span><span class="muted">${escapeHtml(detail)}</span></div>`;
}

function ratedAnswer(r: RatedAnswer): string {
  const sections = r.citations.length
    ? `<ul class="chips">${r.citations.map((c) => `<li title="${escapeHtml(c.document)}">${escapeHtml(c.section)}</li>`).join('')}</ul>`
    : '<p class="muted">No sections cited (not covered).</p>';
  return `<li><p class="rated-question">${escapeHtml(r.question)}</p>
${r.comment ? `<blockquote>${escapeHtml(r.comment)}</blockquote>` : '<p class="muted">No comment.</p>'}
${sections}<p class="muted small">${time(r.ratedAt)}</p></li>`;
}

function table(headings: string[], rows: string[][]): string {
  const head = headings.map((h, i) => `<th scope="col"${i > 0 ? ' class="num"' : ''}>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map(
      (cells) => `<tr>${cells.map((c, i) => (i === 0 ? `<td>${c}</td>` : `<td class="num">${c}</td>`)).join('')}</tr>`,
    )
    .join('');
  return `<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

const num = (n: number) => escapeHtml(formatCount(n));
const empty = (text: string) => `<p class="empty">${escapeHtml(text)}</p>`;

function time(iso: string): string {
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(iso.slice(0, 16).replace('T', ' '))} UTC</time>`;
}
