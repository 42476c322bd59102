// A command on a pseudo-terminal (Python's pty module; no native Node addon): a real TTY of a
// given width for the CLI's terminal views, with one keypress typed once the output shows a text.
import { spawnSync } from 'node:child_process';

const PTY_RUN = `
import fcntl, os, pty, struct, sys, termios
cols = int(os.environ['PTY_COLS'])
key, after = os.environ.get('PTY_KEY', '').encode(), os.environ.get('PTY_AFTER', '').encode()
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack('HHHH', 24, cols, 0, 0))
    os.execvp(sys.argv[1], sys.argv[1:])
out = sys.stdout.buffer
seen = b''
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    out.write(chunk)
    if key and after:
        seen += chunk
        if after in seen:
            os.write(fd, key)
            after = b''
out.flush()
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
`;

/** Skip reason when python3 with the pty module is missing, else false. */
export const ptySkip: string | false = spawnSync('python3', ['-c', 'import pty, termios'], { encoding: 'utf8' }).status === 0 ? false : 'needs python3 with the pty module';

/** Runs argv on a `cols`-column pseudo-terminal; types `key` once the output holds `after`. */
export function onTerminal(argv: string[], opts: { cols?: number; key?: string; after?: string; timeoutMs?: number } = {}): { code: number | null; output: string } {
  const r = spawnSync('python3', ['-c', PTY_RUN, ...argv], {
    encoding: 'utf8',
    env: { ...process.env, COLUMNS: undefined, LINES: undefined, PTY_COLS: String(opts.cols ?? 80), PTY_KEY: opts.key ?? '', PTY_AFTER: opts.after ?? '' },
    timeout: opts.timeoutMs ?? 60_000,
  });
  return { code: r.status, output: r.stdout };
}
