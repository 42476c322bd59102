/**
 * `signglove simulate --text 한글 | head`: when the reader of stdout (or stderr) goes away, writes
 * fail with EPIPE. That is the reader's choice, not an error: exit at once, quietly, as Unix tools
 * do (Node ignores SIGPIPE, so without this the write error is a stack trace).
 */

export function isClosedPipe(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'EPIPE';
}

export function exitQuietlyOnClosedPipe(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    stream.on('error', (err) => {
      if (isClosedPipe(err)) process.exit(0);
      throw err;
    });
  }
}
