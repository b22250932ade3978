/**
 * Entry point of the embeddable widget (dist/web/widget.js): `<script src=".../widget.js" async>`
 * on any page adds a launcher button and a chat panel that ask the assistant the script came
 * from. Built as a classic script (IIFE): `document.currentScript` is null in modules.
 */
import { readWidgetConfig } from './widget-config.ts';
import { HOST_TAG, mountWidget } from './widget-view.ts';

// Only while this script first runs does currentScript name it: read it now, before any await.
const script =
  (document.currentScript as HTMLScriptElement | null) ??
  document.querySelector<HTMLScriptElement>('script[src$="/widget.js"]');
const config = readWidgetConfig(script ? { src: script.src, dataset: { ...script.dataset } } : null, location.href);

function start(): void {
  // Included twice (a CMS template and a page, say): one widget.
  if (document.querySelector(HOST_TAG)) return;
  const host = document.createElement(HOST_TAG);
  document.body.appendChild(host);
  mountWidget(host, config);
}

if (document.body) start();
else document.addEventListener('DOMContentLoaded', start, { once: true });
