import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWidget } from '../../web/build.ts';

/** The budget for what every host page downloads. */
const MAX_GZIPPED_BYTES = 40 * 1024;

let dir: string;
let script: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atg-widget-'));
  await buildWidget(join(dir, 'widget.js'));
  script = await readFile(join(dir, 'widget.js'), 'utf8');
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the widget bundle (web/build.ts)', () => {
  it(`is under ${MAX_GZIPPED_BYTES / 1024} KB gzipped`, () => {
    const gzipped = gzipSync(script, { level: 9 }).byteLength;
    expect(gzipped).toBeGreaterThan(1024);
    expect(gzipped).toBeLessThan(MAX_GZIPPED_BYTES);
  });

  it('is a classic script (document.currentScript is null in a module) with its styles inside', () => {
    expect(script).not.toMatch(/^\s*(import|export)\b/m);
    expect(script).toContain('currentScript');
    expect(script).toContain(':host');
    // No way for answer text to become markup.
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });
});
