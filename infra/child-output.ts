import type { ChildProcess } from 'node:child_process';

/**
 * Hands each non-blank line a child process writes (stdout and stderr alike) to `onLine`, as it
 * comes. A chunk may end mid-line: the rest waits for the next chunk of the same stream.
 */
export function pipeLines(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let buffer = '';
    stream?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) onLine(line);
    });
  }
}
