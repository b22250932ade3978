import type { Support } from '../../rag/types.ts';
import { escapeHtml } from './escape-html.ts';

/**
 * The dashboard's charts as server-rendered SVG: no script, so the strict CSP holds, and
 * colours come from admin.css classes, so they follow light and dark mode.
 */

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { top: 12, right: 8, bottom: 28, left: 36 };

/** Questions per day as bars, with a y scale of round steps and a date under every 7th day. */
export function questionsPerDayChart(days: Array<{ day: string; count: number }>): string {
  const max = Math.max(...days.map((d) => d.count), 0);
  const top = niceCeiling(max);
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotWidth / Math.max(days.length, 1);
  const barWidth = Math.max(2, slot * 0.7);
  const y = (value: number) => PAD.top + plotHeight - (value / top) * plotHeight;

  const grid = [0, top / 2, top]
    .map((value) => {
      const at = y(value).toFixed(1);
      return (
        `<line class="chart-grid" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${at}" y2="${at}"/>` +
        `<text class="chart-axis" x="${PAD.left - 6}" y="${at}" dy="0.32em" text-anchor="end">${formatCount(value)}</text>`
      );
    })
    .join('');
  const bars = days
    .map((d, i) => {
      const x = PAD.left + i * slot + (slot - barWidth) / 2;
      const height = Math.max(d.count > 0 ? 1.5 : 0, (d.count / top) * plotHeight);
      const label = `${d.day}: ${d.count} question${d.count === 1 ? '' : 's'}`;
      return `<rect class="chart-bar" x="${x.toFixed(1)}" y="${(PAD.top + plotHeight - height).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${height.toFixed(1)}" rx="2"><title>${escapeHtml(label)}</title></rect>`;
    })
    .join('');
  const labels = days
    .map((d, i) =>
      i % 7 === (days.length - 1) % 7
        ? `<text class="chart-axis" x="${(PAD.left + i * slot + slot / 2).toFixed(1)}" y="${HEIGHT - 8}" text-anchor="middle">${escapeHtml(d.day.slice(5))}</text>`
        : '',
    )
    .join('');
  const total = days.reduce((sum, d) => sum + d.count, 0);
  const summary = `Questions per day over the last ${days.length} days: ${total} in all, at most ${max} on one day.`;
  return `<svg class="chart" data-testid="questions-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(summary)}">${grid}${bars}${labels}</svg>`;
}

const OUTCOME_LABEL: Record<Support, string> = { answered: 'Answered', related: 'Related only', none: 'Not covered' };

/** The shares of each outcome as one stacked bar and a legend with counts and percentages. */
export function outcomeShares(outcomes: Record<Support, number>): string {
  const total = outcomes.answered + outcomes.related + outcomes.none;
  let offset = 0;
  const order: Support[] = ['answered', 'related', 'none'];
  const segments = order
    .map((outcome) => {
      const width = total ? (outcomes[outcome] / total) * 100 : 0;
      const rect = `<rect class="share share-${outcome}" x="${offset.toFixed(3)}" y="0" width="${width.toFixed(3)}" height="10"/>`;
      offset += width;
      return rect;
    })
    .join('');
  const legend = order
    .map(
      (outcome) =>
        `<li><span class="swatch share-${outcome}" aria-hidden="true"></span>${OUTCOME_LABEL[outcome]}` +
        `<strong>${formatCount(outcomes[outcome])}</strong><span class="muted">${percent(outcomes[outcome], total)}</span></li>`,
    )
    .join('');
  const empty = total ? '' : '<rect class="share share-empty" x="0" y="0" width="100" height="10"/>';
  const label = order.map((o) => `${OUTCOME_LABEL[o]} ${percent(outcomes[o], total)}`).join(', ');
  return `<svg class="shares" data-testid="outcome-shares" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="${escapeHtml(label)}">${empty}${segments}</svg><ul class="legend">${legend}</ul>`;
}

export function percent(part: number, total: number): string {
  return total ? `${Math.round((part / total) * 100)}%` : '–';
}

export function formatCount(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(1);
}

/** The smallest of 1, 2, 5 × 10^k (but at least 4, so the mid line is whole) at or above `max`. */
function niceCeiling(max: number): number {
  if (max <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= max) return step * magnitude;
  return 10 * magnitude;
}
