import type { ChildProcessWithoutNullStreams, ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

type SpawnedServer = ChildProcessWithoutNullStreams | ChildProcessByStdio<null, Readable, Readable>;

/**
 * The URL a spawned server (src/node.ts, directly or through scripts/start.mjs) prints once it
 * is serving: "Ask the Guide is running at http://…/" (on stdout with readable logs, on stderr
 * with JSON logs). With PORT=0 it is the port the OS chose, so tests need not look for a free
 * one. Rejects when the server exits first or stays silent past `timeoutMs`; `output()` is
 * everything it printed, for failure messages. Everything it prints is also passed to console.
 */
export function serverUrl(child: SpawnedServer, timeoutMs: number): { url: Promise<string>; output(): string } {
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no URL within ${timeoutMs / 1000} s; output:\n${output}`)),
      timeoutMs,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      // Through console, so vitest shows the server's log with a failing test (and only then).
      console.log(chunk.toString().trimEnd());
      const match = /running at (http:\/\/\S+?)\/? /.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before serving; output:\n${output}`));
    });
  });
  return { url, output: () => output };
}
