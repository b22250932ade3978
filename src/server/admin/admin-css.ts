/** The dashboard's one stylesheet (served at /admin/admin.css: the CSP allows no inline style). */
export const ADMIN_CSS = `
:root {
  color-scheme: light dark;
  --bg: #f6f7f9; --surface: #ffffff; --surface-2: #f0f2f5; --text: #1b1f24; --muted: #59626d;
  --border: #dfe3e8; --border-strong: #c5ccd4; --accent: #2b59c3; --accent-hover: #234aa5; --accent-text: #ffffff;
  --accent-soft: #e8eefb; --answered: #2b59c3; --related: #d08a11; --none: #c2410c; --grid: #e6e9ee;
  --danger: #b42318; --danger-bg: #fef3f2; --danger-border: #f5c2bd; --focus: #2b59c3;
  --shadow: 0 1px 2px rgb(16 24 40 / 6%), 0 1px 3px rgb(16 24 40 / 8%);
  --radius: 14px; --radius-sm: 8px;
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #101318; --surface: #181c22; --surface-2: #1f242c; --text: #e6e9ed; --muted: #a1aab5;
    --border: #2b313a; --border-strong: #3b434e; --accent: #8cb0ff; --accent-hover: #a9c4ff; --accent-text: #0d1526;
    --accent-soft: #1f2b45; --answered: #8cb0ff; --related: #f5c76b; --none: #ff9e7a; --grid: #262c35;
    --danger: #ffb4ab; --danger-bg: #2d1715; --danger-border: #5c2b26; --focus: #8cb0ff;
    --shadow: 0 1px 2px rgb(0 0 0 / 30%);
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 15px/1.5 var(--font); }
h1, h2 { margin: 0; line-height: 1.25; }
h2 { font-size: 1rem; margin-bottom: 0.75rem; }
a { color: var(--accent); }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
.muted { color: var(--muted); }
.small { font-size: 0.8rem; }
.block { display: block; font-size: 0.8rem; }
.button {
  display: inline-flex; align-items: center; min-height: 2.25rem; padding: 0.35rem 0.9rem;
  border: 1px solid var(--border-strong); border-radius: 999px; background: var(--surface); color: var(--text);
  font: inherit; font-size: 0.875rem; font-weight: 600; text-decoration: none; cursor: pointer;
}
.button:hover { background: var(--surface-2); }
.button-ghost { border-color: transparent; background: transparent; }
.button-primary { justify-content: center; border-color: var(--accent); background: var(--accent); color: var(--accent-text); }
.button-primary:hover { background: var(--accent-hover); }
.card { padding: 1.1rem 1.25rem; border: 1px solid var(--border); border-radius: var(--radius); background: var(--surface); box-shadow: var(--shadow); min-width: 0; }

.sign-in { display: grid; place-items: center; min-height: 100vh; padding: 1rem; }
.sign-in-card { display: flex; flex-direction: column; gap: 0.6rem; width: min(24rem, 100%); padding: 1.75rem; }
.sign-in-card h1 { font-size: 1.3rem; }
.sign-in-card p { margin: 0 0 0.4rem; }
.sign-in-card label { font-weight: 600; font-size: 0.9rem; }
.sign-in-card input {
  min-height: 2.6rem; padding: 0.5rem 0.75rem; border: 1px solid var(--border-strong); border-radius: var(--radius-sm);
  background: var(--surface); color: var(--text); font: inherit;
}
.sign-in-card input[aria-invalid="true"] { border-color: var(--danger); }
.sign-in-card .button { margin-top: 0.4rem; min-height: 2.6rem; }
.form-error { padding: 0.6rem 0.75rem; border: 1px solid var(--danger-border); border-radius: var(--radius-sm); background: var(--danger-bg); color: var(--danger); }

.top {
  display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.75rem;
  max-width: 72rem; margin: 0 auto; padding: 1.25rem 1.25rem 0.5rem;
}
.brand { display: flex; align-items: baseline; gap: 0.75rem; flex-wrap: wrap; }
.brand h1 { font-size: 1.35rem; }
.actions { display: flex; gap: 0.5rem; align-items: center; }
.actions form { margin: 0; }
.dashboard {
  display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 1rem;
  max-width: 72rem; margin: 0 auto; padding: 0.75rem 1.25rem 3rem;
}
.span-2 { grid-column: span 2; }
.span-3 { grid-column: 1 / -1; }
.stats { grid-column: 1 / -1; display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 1rem; }
.stat { display: flex; flex-direction: column; gap: 0.15rem; }
.stat-label { color: var(--muted); font-size: 0.8rem; font-weight: 600; letter-spacing: 0.04em; text-transform: uppercase; }
.stat-value { font-size: 1.9rem; font-weight: 700; line-height: 1.15; font-variant-numeric: tabular-nums; }

.chart { display: block; width: 100%; height: auto; }
.chart-bar { fill: var(--accent); }
.chart-bar:hover { fill: var(--accent-hover); }
.chart-grid { stroke: var(--grid); stroke-width: 1; }
.chart-axis { fill: var(--muted); font: 11px var(--font); }
.shares { display: block; width: 100%; height: 1rem; border-radius: 999px; overflow: hidden; margin: 0.25rem 0 1rem; }
.share-answered { fill: var(--answered); background: var(--answered); }
.share-related { fill: var(--related); background: var(--related); }
.share-none { fill: var(--none); background: var(--none); }
.share-empty { fill: var(--grid); }
.legend { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 0.5rem; }
.legend li { display: grid; grid-template-columns: auto 1fr auto 3rem; align-items: center; gap: 0.6rem; }
.legend strong, .legend .muted { text-align: right; font-variant-numeric: tabular-nums; }
.swatch { width: 0.8rem; height: 0.8rem; border-radius: 3px; }

.table-wrap { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; font-size: 0.9rem; }
th { color: var(--muted); font-size: 0.75rem; font-weight: 600; letter-spacing: 0.04em; text-align: left; text-transform: uppercase; }
th, td { padding: 0.5rem 0.5rem; border-bottom: 1px solid var(--border); vertical-align: top; overflow-wrap: anywhere; }
tr:last-child td { border-bottom: 0; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.empty { margin: 0; padding: 1rem; border: 1px dashed var(--border-strong); border-radius: var(--radius-sm); color: var(--muted); text-align: center; }

.rated { list-style: none; margin: 0; padding: 0; }
.rated > li { padding: 0.75rem 0; border-bottom: 1px solid var(--border); }
.rated > li:first-child { padding-top: 0; }
.rated > li:last-child { border-bottom: 0; padding-bottom: 0; }
.rated p { margin: 0.2rem 0; }
.rated-question { font-weight: 600; overflow-wrap: anywhere; }
blockquote { margin: 0.35rem 0; padding: 0.35rem 0.75rem; border-left: 3px solid var(--none); background: var(--surface-2); border-radius: 0 var(--radius-sm) var(--radius-sm) 0; overflow-wrap: anywhere; }
.chips { list-style: none; display: flex; flex-wrap: wrap; gap: 0.35rem; margin: 0.4rem 0 0; padding: 0; }
.chips li { padding: 0.1rem 0.55rem; border-radius: 999px; background: var(--accent-soft); color: var(--text); font-size: 0.8rem; }

@media (max-width: 860px) {
  .dashboard { grid-template-columns: minmax(0, 1fr); }
  .span-2, .span-3 { grid-column: auto; }
  .stats { grid-template-columns: repeat(2, minmax(0, 1fr)); }
}
`;
