/**
 * Seeded fuzzing of everything that reads untrusted input (issue 16, acceptance): episode CSV
 * text and bytes, dataset trees (FIFOs, links, loops, huge and unreadable entries), raw glove
 * lines (CSV and JSON lines), and HTTP/WebSocket bodies. Nothing may hang, crash or print a stack
 * trace, and every rejection must carry its reason. Bounded: a few thousand cases, seconds.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, ftruncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Rng } from '../../src/util/rng.js';
import { tryParseEpisodeCsv, EpisodeParseError } from '../../src/data/parse-episode.js';
import { decodeText, UnreadableFileError } from '../../src/data/safe-read.js';
import { CHANNEL_LIMITS } from '../../src/data/value-limits.js';
import { GloveLineParser } from '../../src/stream/line-parser.js';
import { FRAME_CHANNELS } from '../../src/stream/frame.js';
import { ModelCatalog } from '../../src/server/catalog.js';
import { createLiveSession } from '../../src/stream/live-session.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { centroidModel } from '../server/helpers.js';
import { StreamMessage } from '../../src/server/routes/stream.js';
import { connect } from '../server/ws-client.js';
import { episodeCsv } from '../data/helpers.js';

const SEED = 16;
const STACK = /\n\s+at .+[:(]/;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)]!;

const TOKENS = ['1e39', '-1e39', '1e99999', 'NaN', '', ' ', 'inf', '-Infinity', '0x10', '"12"', '"1,2"', '""', '1e-400', '99999', '-400', '4095',
  '\u0000', '\u001b[2J', '\r', '\n', ',', '"', '#', 'timestamp', 'flex1', '١٢', '\uFEFF', '\uD800', '1'.repeat(400), '-', '.', 'e5', '+7', '1_000'];
const CHARS = ['\u0000', '\u001b', '\r', '\n', '"', ',', ' ', '\t', 'e', '9', '-', '.', '#', 'x', 'ㄱ', '\u202e', '\uFFFD', '\u0085'];

/** One random mutation of CSV text. */
function mutate(rng: Rng, text: string): string {
  const lines = text.split('\n');
  switch (rng.int(9)) {
    case 0: { // a character somewhere
      const i = rng.int(text.length + 1);
      return text.slice(0, i) + pick(rng, CHARS) + text.slice(i);
    }
    case 1: { // a cell replaced by a nasty token
      const li = rng.int(lines.length);
      const cells = lines[li]!.split(',');
      cells[rng.int(cells.length)] = pick(rng, TOKENS);
      lines[li] = cells.join(',');
      return lines.join('\n');
    }
    case 2: { // a span deleted
      const i = rng.int(text.length);
      return text.slice(0, i) + text.slice(i + rng.int(200));
    }
    case 3: // a line doubled
      lines.splice(rng.int(lines.length), 0, lines[rng.int(lines.length)]!);
      return lines.join('\n');
    case 4: // truncated
      return text.slice(0, rng.int(text.length));
    case 5: // other line ends
      return pick(rng, [text.replace(/\n/g, '\r'), text.replace(/\n/g, '\r\n'), `\uFEFF${text}`]);
    case 6: { // header cells swapped or renamed
      const h = lines[0]!.split(',');
      const a = rng.int(h.length);
      h[a] = pick(rng, [h[rng.int(h.length)]!, pick(rng, TOKENS), `${h[a]}\u001b[31m`]);
      lines[0] = h.join(',');
      return lines.join('\n');
    }
    case 7: // a row with too many or too few fields
      lines[1 + rng.int(Math.max(1, lines.length - 1))] += pick(rng, [',', ',1,2', '']);
      return lines.join('\n').replace(/,[^,\n]*\n/, '\n');
    default: // a raw firmware line mixed in
      lines.splice(1 + rng.int(lines.length), 0, pick(rng, ['12,1.5,-2.25,30,800,801,802,803,804', '# booting', '{"timestamp":1,"yaw":2}']));
      return lines.join('\n');
  }
}

function checkParse(text: string, where: string): void {
  let r;
  try {
    r = tryParseEpisodeCsv(text, 'f.csv');
  } catch (err) {
    assert.fail(`${where}: parser threw ${(err as Error).name}: ${(err as Error).message}`);
  }
  if (r.problem) {
    assert.ok(r.problem.reason.trim().length > 3, `${where}: rejection without a reason`);
    if (r.problem.row !== undefined) assert.ok(Number.isInteger(r.problem.row) && r.problem.row >= 1, `${where}: bad row ${r.problem.row}`);
    assert.ok(!r.problem.reason.includes('\u0000'), `${where}: NUL bytes in the reason`);
    return;
  }
  const { channels, data } = r.episode;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    const lim = CHANNEL_LIMITS[channels[i % channels.length]!];
    assert.ok(Number.isFinite(v) && (!lim || (v >= lim[0] && v <= lim[1])), `${where}: accepted value ${v}`);
  }
}

describe('fuzz: untrusted input never hangs, crashes or goes unexplained', () => {
  it('episode CSV text: 1,500 mutated files parse or are rejected with a reason', () => {
    const rng = new Rng(SEED);
    const base = episodeCsv(15, 2);
    for (let n = 0; n < 1500; n++) {
      let text = base;
      const k = 1 + rng.int(4);
      for (let m = 0; m < k; m++) text = mutate(rng, text);
      checkParse(text, `case ${n}`);
    }
  });

  it('episode CSV bytes: random encodings and binary are read as UTF-8 or refused with a reason', () => {
    const rng = new Rng(SEED + 1);
    const base = episodeCsv(10, 3);
    for (let n = 0; n < 300; n++) {
      const kind = rng.int(4);
      const bytes =
        kind === 0 ? Buffer.from(base, 'utf16le')
        : kind === 1 ? Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(base, 'utf16le').swap16()])
        : kind === 2 ? Buffer.from(Array.from({ length: 1 + rng.int(300) }, () => rng.int(256)))
        : Buffer.from(mutate(rng, base), 'latin1');
      let text: string;
      try {
        text = decodeText(bytes);
      } catch (err) {
        assert.ok(err instanceof UnreadableFileError && err.reason.length > 5, `case ${n}: ${(err as Error).message}`);
        continue;
      }
      checkParse(text, `bytes case ${n}`);
    }
  });

  it('raw glove lines (firmware CSV and JSON lines): 3,000 lines, each a frame, header, message or malformed with a reason', () => {
    const rng = new Rng(SEED + 2);
    const parser = new GloveLineParser();
    const json = (): string => {
      const o: Record<string, unknown> = { timestamp: rng.uniform(0, 1e6) };
      for (const k of ['yaw', 'pitch', 'roll', 'flex1', 'flex2', 'flex3', 'flex4', 'flex5']) {
        if (rng.next() < 0.9) o[k] = rng.next() < 0.8 ? rng.uniform(-200, 1100) : pick(rng, [1e39, null, 'x', [], {}, -1e308]);
      }
      return JSON.stringify(o);
    };
    for (let n = 0; n < 3000; n++) {
      const src = rng.int(3);
      const line = src === 0 ? mutate(rng, `${n * 30},1.5,-2.25,30,800,801,802,803,804`) : src === 1 ? json() : mutate(rng, 'timestamp,pitch,roll,yaw,flex1,flex2,flex3,flex4,flex5\n1,2,3,4,5,6,7,8,9');
      for (const l of line.split('\n')) {
        const p = parser.parse(l);
        if (p.kind === 'malformed') assert.ok(p.reason.length > 3, `line ${n}: no reason`);
        if (p.kind === 'frame') {
          p.frame.values.forEach((v, c) => {
            if (Number.isNaN(v)) return; // a channel this format does not carry
            const lim = CHANNEL_LIMITS[FRAME_CHANNELS[c]!];
            assert.ok(Number.isFinite(v) && (!lim || (v >= lim[0] && v <= lim[1])), `line ${n}: accepted ${FRAME_CHANNELS[c]}=${v}`);
          });
        }
      }
    }
  });

  it('dataset trees with FIFOs, links, loops, huge, empty and unreadable entries: data inspect ends, exit 0 or 2, every skip has a reason', { skip: process.platform === 'win32' && 'POSIX file kinds' }, () => {
    const rng = new Rng(SEED + 3);
    const root = mkdtempSync(path.join(os.tmpdir(), 'signglove-fuzz-tree-'));
    const outside = path.join(root, 'outside.csv');
    writeFileSync(outside, episodeCsv(20, 9));
    const cli = path.join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');
    const locked: string[] = [];
    try {
      for (let tree = 0; tree < 6; tree++) {
        const ds = path.join(root, `ds${tree}`);
        for (let e = 0; e < 12; e++) {
          const dir = path.join(ds, pick(rng, ['ㄱ', 'ㄴ', 'ㅏ', 'misc']), pick(rng, ['1', '2']));
          mkdirSync(dir, { recursive: true });
          const f = path.join(dir, `e${e}.csv`);
          switch (rng.int(12)) {
            case 0: execFileSync('mkfifo', [f]); break;
            case 1: symlinkSync('/dev/zero', f); break;
            case 2: symlinkSync(outside, f); break;
            case 3: symlinkSync(path.join(dir, 'nothing-here.csv'), f); break;
            case 4: symlinkSync(f, f); break; // a loop
            case 5: { // 20 MB, sparse: over the per-file limit without using the disk
              const fd = openSync(f, 'w');
              ftruncateSync(fd, 20 * 1024 * 1024);
              closeSync(fd);
              break;
            }
            case 6: writeFileSync(f, ''); break;
            case 7: mkdirSync(f); break; // a folder named like a file
            case 8: writeFileSync(f, Buffer.from(episodeCsv(12, e), 'utf16le')); break;
            case 9: { // a file in a folder nobody may read (root can: then it is just read)
              const sub = path.join(dir, `locked${e}`);
              mkdirSync(sub);
              writeFileSync(path.join(sub, 'x.csv'), episodeCsv(12, e));
              chmodSync(sub, 0);
              locked.push(sub);
              break;
            }
            case 10: writeFileSync(f, mutate(rng, mutate(rng, episodeCsv(14, e)))); break;
            default: writeFileSync(f, episodeCsv(12 + e, e));
          }
        }
        const r = spawnSync(process.execPath, [cli, 'data', 'inspect', '--json', ds], { encoding: 'utf8', timeout: 60_000 });
        assert.equal(r.error, undefined, `tree ${tree}: ${String(r.error)} (a hang?)`);
        assert.ok(r.status === 0 || r.status === 2, `tree ${tree}: exit ${r.status}\n${r.stderr}`);
        assert.doesNotMatch(r.stderr, STACK, `tree ${tree}: stack trace`);
        if (r.status === 2) assert.match(r.stderr.trim(), /^signglove: \S.{5,}$/, `tree ${tree}: one line naming the problem`);
        else {
          const summary = JSON.parse(r.stdout) as { skipped: { file: string; reason: string }[] };
          for (const s of summary.skipped) assert.ok(s.reason.length > 5, `tree ${tree}: ${s.file} skipped without a reason`);
        }
      }
    } finally {
      for (const d of locked) chmodSync(d, 0o755);
      rmSync(root, { recursive: true, force: true });
    }
  });

  describe('HTTP and WebSocket bodies', () => {
    let server: RunningServer;
    before(async () => {
      const rows = (v: number) => Array.from({ length: 20 }, () => [700 + v, 700, 700, 700, 700, v, 0, 0]);
      const model = centroidModel(['ㄱ', 'ㄴ', 'ㄷ'].map((jamo, i) => ({ file: `${jamo}.csv`, jamo, rows: rows(i * 10), csv: '' })));
      server = await startServer({ catalog: ModelCatalog.fromModels([model]), port: 0, createSession: createLiveSession });
    });
    after(() => server.close());

    /** A random JSON value, biased towards the shapes the API expects. */
    function value(rng: Rng, depth = 0): unknown {
      switch (depth > 3 ? rng.int(4) : rng.int(9)) {
        case 0: return pick(rng, [0, -1, 1e39, 1e308, -0, 3.5, 700, 2 ** 53, NaN]);
        case 1: return pick(rng, ['', 'x', 'ㄱ', '\u0000\u001b[2J', 'gru', 'frames', '1e39']);
        case 2: return pick(rng, [null, true, false]);
        case 3: return Array.from({ length: rng.int(8) }, () => rng.uniform(-10, 1000));
        case 4: return Array.from({ length: rng.int(12) }, () => value(rng, depth + 1));
        case 5: return Object.fromEntries(Array.from({ length: rng.int(5) }, () => [pick(rng, ['rows', 'episodes', 'model', 'top_k', 'channels', 'type', 'frames', 'id', '__proto__', 'constructor']), value(rng, depth + 1)]));
        case 6: return { rows: Array.from({ length: 1 + rng.int(30) }, () => Array.from({ length: pick(rng, [8, 8, 8, 7, 9]) }, () => rng.uniform(-10, 1000))), ...(rng.next() < 0.3 ? { top_k: value(rng, depth + 1) } : {}) };
        case 7: return { episodes: Array.from({ length: rng.int(4) }, () => value(rng, depth + 1)) };
        default: return { type: pick(rng, ['frames', 'reset', 'ping', 'x']), frames: value(rng, depth + 1) };
      }
    }

    it('400 random POST bodies: never 5xx, every 4xx says why', async () => {
      const rng = new Rng(SEED + 4);
      for (let n = 0; n < 400; n++) {
        const route = pick(rng, ['/predict', '/predict/batch']);
        const raw = rng.next() < 0.15;
        const body = raw ? Buffer.from(Array.from({ length: rng.int(200) }, () => rng.int(256))) : JSON.stringify(value(rng)).replace(/null/g, () => pick(rng, ['null', 'NaN', '1e99999', 'null']));
        const type = rng.next() < 0.9 ? 'application/json' : pick(rng, ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1']);
        const r = await fetch(`${server.url}${route}`, { method: 'POST', headers: { 'content-type': type }, body });
        const text = await r.text();
        assert.ok(r.status < 500, `case ${n} ${route}: ${r.status} ${text.slice(0, 200)}`);
        if (r.status >= 400) {
          const err = JSON.parse(text) as { error?: unknown };
          assert.ok(typeof err.error === 'string' && err.error.length > 3, `case ${n}: ${r.status} without a reason: ${text.slice(0, 200)}`);
          assert.doesNotMatch(err.error as string, STACK);
        }
      }
      assert.equal((await fetch(`${server.url}/health`)).status, 200);
    });

    it('400 random WebSocket messages: each bad one is answered with its reason, and the server stays up', async () => {
      const rng = new Rng(SEED + 5);
      const url = server.url.replace('http', 'ws') + '/stream';
      let ws = await connect(url);
      await ws.next((m) => m.type === 'ready');
      for (let n = 0; n < 400; n++) {
        const raw = rng.next() < 0.1;
        const before = ws.all().length;
        const v = value(rng);
        if (raw) ws.sendRaw(Buffer.from(Array.from({ length: 1 + rng.int(100) }, () => rng.int(256))));
        else ws.sendRaw(JSON.stringify(v));
        const parsed = raw ? undefined : StreamMessage.safeParse(JSON.parse(JSON.stringify(v) ?? 'null'));
        const invalid = !parsed?.success;
        // a random message may itself be a valid ping: then two pongs come back
        const pongs = parsed?.success && parsed.data.type === 'ping' ? 2 : 1;
        ws.send({ type: 'ping' });
        let reply;
        try {
          for (let k = 0; k < pongs; k++) reply = await ws.next((m) => m.type === 'pong');
        } catch {
          const c = await ws.closed;
          assert.ok(c.reason.length > 3, `case ${n}: closed (${c.code}) without a reason`);
          ws = await connect(url);
          await ws.next((m) => m.type === 'ready');
          continue;
        }
        assert.ok(reply);
        const errors = ws.all().slice(before).filter((m) => m.type === 'error');
        if (invalid) assert.ok(errors.length > 0, `case ${n}: a bad message got no error: ${raw ? 'binary' : JSON.stringify(v)?.slice(0, 300)}`);
        for (const m of errors) assert.ok(typeof m.error === 'string' && (m.error as string).length > 3, `case ${n}: error without a reason`);
      }
      ws.close();
      assert.equal((await fetch(`${server.url}/health`)).status, 200);
    });
  });
});
