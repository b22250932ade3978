import { spawn } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { CorpusError } from '../../src/corpus/load-corpus.ts';
import { POINTER_FILE } from '../../src/index/write-generation.ts';
import { runIngest } from '../../src/ingest/run-ingest.ts';
import { copyCorpus } from '../helpers/corpus-copy.ts';
import {
  copyDir,
  fixtureCorpusDir,
  makeTempDir,
  removeTempDir,
  repoRoot,
  servedIndexFiles,
  snapshotDir,
} from '../helpers/temp-dir.ts';

/**
 * Bad input and the ingest CLI. Every bad input goes through runIngest in-process (fast); a
 * representative few also through `npm run ingest` as a user runs it: a child process with
 * CORPUS_DIR / INDEX_DIR pointing at temp folders. A CLI run costs ~1.5 s of CPU (mostly
 * importing @langchain/openai), so not every case is spawned. Tests run concurrently, so each
 * uses its own folders under one root removed at the end.
 */

/** A CLI run takes ~1 s alone, but several spawn at once and the machine may be busy. */
const CLI_TIMEOUT = { timeout: 60_000 };

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(env: Record<string, string>, args: string[] = []): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/ingest.ts', ...args], {
      cwd: repoRoot,
      // A clean environment: nothing from the developer's shell (an OPENAI_API_KEY, say) leaks in.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', EMBEDDINGS: 'local', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let root: string;
let built: string;
let caseNumber = 0;

beforeAll(async () => {
  root = await makeTempDir('atg-cli-');
  built = join(root, 'built-index');
  await runIngest({ config: loadConfig({ CORPUS_DIR: fixtureCorpusDir, INDEX_DIR: built }) });
});
afterAll(() => removeTempDir(root));

/** A case folder: a corpus copy of the fixtures and a copy of an index already built and current. */
async function caseDirs(): Promise<{ corpusDir: string; indexDir: string }> {
  const { corpusDir, indexDir } = await copyCorpus(join(root, `case-${++caseNumber}`));
  await copyDir(built, indexDir);
  return { corpusDir, indexDir };
}

interface BadCase {
  name: string;
  /** Also run through the CLI. */
  cli?: boolean;
  /** Prepare the corpus; returns env overrides and the text the one error line must contain. */
  setup(corpusDir: string, caseDir: string): Promise<{ env?: Record<string, string>; names: string[]; reason: RegExp }>;
  skip?: string;
}

const badCases: BadCase[] = [
  {
    name: 'missing corpus folder',
    cli: true,
    async setup(_corpusDir, caseDir) {
      const missing = join(caseDir, 'no-such-folder');
      return { env: { CORPUS_DIR: missing }, names: [missing, 'CORPUS_DIR'], reason: /corpus folder not found/ };
    },
  },
  {
    name: 'empty corpus folder',
    async setup(_corpusDir, caseDir) {
      const empty = join(caseDir, 'empty');
      await mkdir(empty);
      return { env: { CORPUS_DIR: empty }, names: [empty], reason: /no documents \(\.md, \.html or \.txt files\)/ };
    },
  },
  {
    name: 'unreadable file (a folder named x.md: EISDIR)',
    cli: true,
    async setup(corpusDir) {
      await mkdir(join(corpusDir, 'x.md'));
      return { names: [join(corpusDir, 'x.md')], reason: /cannot be read \(EISDIR\)/ };
    },
  },
  {
    name: 'unreadable file (chmod 000)',
    skip: process.getuid?.() === 0 ? 'running as root: chmod 000 does not stop root from reading' : undefined,
    async setup(corpusDir) {
      await writeFile(join(corpusDir, 'locked.md'), '# Locked\n\nText.\n');
      await chmod(join(corpusDir, 'locked.md'), 0o000);
      return { names: [join(corpusDir, 'locked.md')], reason: /cannot be read \(EACCES\)/ };
    },
  },
  {
    name: 'binary file',
    async setup(corpusDir) {
      await writeFile(
        join(corpusDir, 'image.md'),
        new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]),
      );
      return { names: [join(corpusDir, 'image.md')], reason: /binary file/ };
    },
  },
  {
    name: 'non-UTF-8 file',
    async setup(corpusDir) {
      await writeFile(join(corpusDir, 'latin1.md'), Buffer.from('# R\xe9sum\xe9\n\nCaf\xe9 au lait.\n', 'latin1'));
      return { names: [join(corpusDir, 'latin1.md')], reason: /not valid UTF-8/ };
    },
  },
  {
    name: 'empty document',
    async setup(corpusDir) {
      await writeFile(join(corpusDir, 'empty.md'), '');
      return { names: [join(corpusDir, 'empty.md')], reason: /empty document/ };
    },
  },
  {
    name: 'invalid YAML front matter',
    cli: true,
    async setup(corpusDir) {
      await writeFile(
        join(corpusDir, 'bad-yaml.md'),
        '---\ntitle: "unterminated\nauthor: [a, b\n---\n\n# Body\n\nText.\n',
      );
      return { names: [join(corpusDir, 'bad-yaml.md')], reason: /invalid front matter/ };
    },
  },
  {
    name: 'invalid source_url',
    async setup(corpusDir) {
      await writeFile(
        join(corpusDir, 'bad-url.md'),
        '---\ntitle: Fine\nsource_url: www.example.com/no-scheme\n---\n\n# Body\n\nText.\n',
      );
      return { names: [join(corpusDir, 'bad-url.md'), 'source_url'], reason: /invalid front matter field/ };
    },
  },
  {
    name: 'unknown EMBEDDINGS value',
    cli: true,
    async setup() {
      return { env: { EMBEDDINGS: 'fast' }, names: ['EMBEDDINGS', '"fast"'], reason: /expected "local" or "openai"/ };
    },
  },
];

describe.concurrent('bad input', () => {
  for (const bad of badCases) {
    const skipNote = bad.skip ? ` (skipped: ${bad.skip})` : '';

    it.skipIf(Boolean(bad.skip))(
      `${bad.name}: runIngest rejects with a one-line error naming it, the current index untouched${skipNote}`,
      async ({ expect }) => {
        const { corpusDir, indexDir } = await caseDirs();
        const { env, names, reason } = await bad.setup(corpusDir, join(corpusDir, '..'));
        const before = await snapshotDir(indexDir, servedIndexFiles);

        const error = await Promise.resolve()
          .then(() =>
            runIngest({
              config: loadConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, EMBEDDINGS: 'local', ...env }),
            }),
          )
          .then(
            () => null,
            (e: unknown) => e,
          );

        // The CLI prints these error classes as they are; anything else is an unexpected failure.
        expect(error instanceof CorpusError || error instanceof ConfigError, String(error)).toBe(true);
        const message = (error as Error).message;
        expect(message).not.toContain('\n');
        expect(message).toMatch(reason);
        for (const name of names) expect(message).toContain(name);
        expect(await snapshotDir(indexDir, servedIndexFiles)).toEqual(before);
      },
    );

    if (!bad.cli) continue;
    it.skipIf(Boolean(bad.skip))(
      `${bad.name}: npm run ingest exits non-zero with one stderr line naming it, the current index untouched${skipNote}`,
      CLI_TIMEOUT,
      async ({ expect }) => {
        const { corpusDir, indexDir } = await caseDirs();
        const { env, names, reason } = await bad.setup(corpusDir, join(corpusDir, '..'));
        const before = await snapshotDir(indexDir, servedIndexFiles);
        const pointer = await readFile(join(indexDir, POINTER_FILE), 'utf8');

        const result = await runCli({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, ...env });

        expect(result.code).not.toBe(0);
        expect(result.stdout).toBe('');
        const lines = result.stderr.trimEnd().split('\n');
        expect(lines, result.stderr).toHaveLength(1);
        expect(lines[0]).toMatch(/^error: /);
        expect(lines[0]).toMatch(reason);
        for (const name of names) expect(lines[0]).toContain(name);
        expect(await readFile(join(indexDir, POINTER_FILE), 'utf8')).toBe(pointer);
        expect(await snapshotDir(indexDir, servedIndexFiles)).toEqual(before);
      },
    );
  }

  it('an INDEX_DIR that is a file: runIngest rejects naming it', async ({ expect }) => {
    const { corpusDir } = await caseDirs();
    const indexFile = join(corpusDir, '..', 'index-is-a-file');
    await writeFile(indexFile, 'not a folder');
    await expect(runIngest({ config: loadConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexFile }) })).rejects.toThrow(
      indexFile,
    );
    expect(await readFile(indexFile, 'utf8')).toBe('not a folder');
  });
});

describe.concurrent('npm run ingest output', () => {
  it('--json prints exactly one JSON line with the summary, and nothing on stderr', CLI_TIMEOUT, async ({ expect }) => {
    const { corpusDir, indexDir } = await copyCorpus(join(root, `json-${++caseNumber}`));

    const first = await runCli({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir }, ['--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe('');
    const lines = first.stdout.split('\n');
    expect(lines).toHaveLength(2); // one line and its newline
    expect(lines[1]).toBe('');
    const summary = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(Object.keys(summary).sort()).toEqual(
      ['chunks', 'documents', 'embedded', 'generation', 'ms', 'removed', 'reused', 'sections'].sort(),
    );
    expect(summary).toMatchObject({ documents: 2, sections: 14, reused: 0, removed: 0 });
    expect(summary.embedded).toBe(summary.chunks);
    expect(typeof summary.ms).toBe('number');
    expect(summary.generation).toBe((await readFile(join(indexDir, POINTER_FILE), 'utf8')).trim());
  });

  it('without --json prints one summary line on stdout and progress on stderr', CLI_TIMEOUT, async ({ expect }) => {
    const { corpusDir, indexDir } = await copyCorpus(join(root, `text-${++caseNumber}`));
    const result = await runCli({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^Indexed 2 document\(s\), 14 sections, (\d+) chunks \(\1 embedded, 0 reused, 0 removed\) into generation \S+ in \d+ ms\.\n$/,
    );
    expect(result.stderr).toMatch(/^embedded (\d+)\/\1 chunks\n$/);
  });

  it('an unchanged corpus: "index is up to date (generation X)", exit 0, nothing written; --json says so with "embedded":0', {
    timeout: 2 * CLI_TIMEOUT.timeout,
  }, async ({ expect }) => {
    const { corpusDir, indexDir } = await caseDirs();
    const generation = (await readFile(join(indexDir, POINTER_FILE), 'utf8')).trim();
    const before = await snapshotDir(indexDir, servedIndexFiles);
    const text = await runCli({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe(`index is up to date (generation ${generation})\n`);
    const json = await runCli({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir }, ['--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ generation, embedded: 0, documents: 2, sections: 14 });
    expect(await snapshotDir(indexDir, servedIndexFiles)).toEqual(before);
  });

  it('names a skipped file once in a warning on stderr and goes on', CLI_TIMEOUT, async ({ expect }) => {
    const { corpusDir, indexDir } = await caseDirs();
    await writeFile(join(corpusDir, 'photo.png'), new Uint8Array([1, 2, 3]));
    const result = await runCli({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('warning: skipped photo.png: not .md, .html or .txt\n');
    expect(result.stdout).toMatch(/^index is up to date/);
  });
});
