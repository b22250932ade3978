/** The icons the script adds, as SVG built with DOM calls (no markup strings); static ones live in index.html. */
const SVG = 'http://www.w3.org/2000/svg';

const PATHS = {
  send: ['M4 12l16-8-6 16-2.5-6.5z', 'M11.5 13.5L20 4'],
  stop: [],
  copy: ['M9 9h10v10H9z', 'M5 15V5h10'],
  check: ['M5 12.5l4.5 4.5L19 7'],
  chat: ['M5 6.5a2 2 0 0 1 2-2h10a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2h-6l-4.5 3.5v-3.5a2 2 0 0 1-1.5-2z'],
  close: ['M6 6l12 12', 'M18 6L6 18'],
  plus: ['M12 5v14', 'M5 12h14'],
  retry: ['M4 12a8 8 0 1 0 2.4-5.7', 'M4 4v4.5h4.5'],
  info: ['M12 11v6', 'M12 7.5v.01', 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z'],
  // One thumb; the down one is the same shape turned over in CSS (.icon-thumbDown).
  thumbUp: [
    'M7 10.5V20H4v-9.5z',
    'M7 10.5L11 3.5c1.6 0 2.6 1.2 2.2 2.8L12.5 9.5H18.5a2 2 0 0 1 2 2.4l-1.3 6.4a2 2 0 0 1-2 1.7H7',
  ],
  thumbDown: [
    'M7 10.5V20H4v-9.5z',
    'M7 10.5L11 3.5c1.6 0 2.6 1.2 2.2 2.8L12.5 9.5H18.5a2 2 0 0 1 2 2.4l-1.3 6.4a2 2 0 0 1-2 1.7H7',
  ],
  alert: ['M12 8v5', 'M12 16.5v.01', 'M10.3 3.9L2.4 18a2 2 0 0 0 1.7 3h15.8a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z'],
} as const;

export type IconName = keyof typeof PATHS;

export function icon(name: IconName): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', `icon icon-${name}`);
  if (name === 'stop') {
    const rect = document.createElementNS(SVG, 'rect');
    for (const [k, v] of Object.entries({ x: '6', y: '6', width: '12', height: '12', rx: '2' }))
      rect.setAttribute(k, v);
    svg.appendChild(rect);
  }
  for (const d of PATHS[name]) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.appendChild(path);
  }
  return svg;
}
