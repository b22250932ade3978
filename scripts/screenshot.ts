/**
 * npm run screenshot: refresh docs/screenshot.png, the README's picture of the chat, with the
 * browser test's own helpers: the real Node server on loopback with the real corpus (no model
 * server), and Debian's Chromium.
 */
import { join } from 'node:path';
import { launchBrowser } from '../test/browser/helpers/browser.ts';
import { captureChatScreenshot } from '../test/browser/helpers/chat-screenshot.ts';
import { repoRoot, startServer } from '../test/browser/helpers/server.ts';

const target = join(repoRoot, 'docs', 'screenshot.png');
const [server, browser] = await Promise.all([startServer(), launchBrowser()]);
try {
  await captureChatScreenshot(browser, server.url, target);
  console.log(`wrote ${join('docs', 'screenshot.png')}`);
} finally {
  await browser.close();
  await server.stop();
}
