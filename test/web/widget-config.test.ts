import { describe, expect, it } from 'vitest';
import { DEFAULT_TITLE, readWidgetConfig } from '../../web/src/widget-config.ts';

const PAGE = 'https://shop.example/help/page.html';
const script = (dataset: Record<string, string>, src = 'https://guide.example/widget.js') => ({ src, dataset });

describe("readWidgetConfig (the script tag's data- attributes)", () => {
  it('asks the origin the script came from, with the defaults when nothing is set', () => {
    expect(readWidgetConfig(script({}), PAGE)).toEqual({
      origin: 'https://guide.example',
      title: DEFAULT_TITLE,
      starters: [],
      position: 'bottom-right',
      theme: 'auto',
    });
    // A relative src (the assistant's own pages) resolves against the page.
    expect(readWidgetConfig(script({}, '/widget.js'), PAGE).origin).toBe('https://shop.example');
    expect(readWidgetConfig(null, PAGE).origin).toBe('https://shop.example');
  });

  it('reads title, position and theme, and falls back on unknown values', () => {
    const config = readWidgetConfig(script({ title: '  Career help ', position: 'bottom-left', theme: 'dark' }), PAGE);
    expect(config).toMatchObject({ title: 'Career help', position: 'bottom-left', theme: 'dark' });
    const odd = readWidgetConfig(script({ title: '   ', position: 'top-left', theme: 'sepia' }), PAGE);
    expect(odd).toMatchObject({ title: DEFAULT_TITLE, position: 'bottom-right', theme: 'auto' });
    expect(readWidgetConfig(script({ title: 'x'.repeat(500) }), PAGE).title).toHaveLength(60);
  });

  it('splits data-starters on |, trims, drops empty ones and keeps at most four', () => {
    const spaced = readWidgetConfig(script({ starters: ' How do I start? |  | What does a PM do?\n' }), PAGE);
    expect(spaced.starters).toEqual(['How do I start?', 'What does a PM do?']);
    expect(readWidgetConfig(script({ starters: 'a|b|c|d|e|f' }), PAGE).starters).toEqual(['a', 'b', 'c', 'd']);
    // Present but empty: no starters at all.
    expect(readWidgetConfig(script({ starters: '' }), PAGE).starters).toEqual([]);
  });
});
