import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import dgram from 'node:dgram';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { SerialPortMock } from 'serialport';
import { openTcpSource } from '../../src/stream/sources/tcp.js';
import { openUdpSource } from '../../src/stream/sources/udp.js';
import { openReadableSource } from '../../src/stream/sources/readable.js';
import { openReplaySource } from '../../src/stream/sources/replay.js';
import { openSerialSource, type SerialPortFactory, type SerialPortLike } from '../../src/stream/sources/serial.js';
import { openSource, parseSourceSpec } from '../../src/stream/source-spec.js';
import { frameChannelIndex } from '../../src/stream/frame.js';
import { collect, line9, waitFor } from './helpers.js';

const FLEX1 = frameChannelIndex('flex1');
// Helper scripts stay in the source tree (tests may run compiled from dist/).
const here = path.join(PACKAGE_ROOT, 'test', 'stream');

test('stdin-like stream: frames, a message, malformed lines counted and skipped, partial last line kept', async () => {
  const input = new PassThrough();
  const status: string[] = [];
  const source = openReadableSource(input, { onStatus: (m) => status.push(m) });
  const { frames, done } = collect(source);
  input.write(`${line9(0)}\n# hello\nnot,a,frame\n${line9(30).slice(0, 10)}`);
  input.end(`${line9(30).slice(10)}\r\n1,2,3\n${line9(60)}`);
  await done;
  assert.deepEqual(frames.map((f) => f.t), [0, 30, 60]);
  assert.equal(source.stats.malformed, 2);
  assert.equal(source.stats.messages, 1);
  assert.deepEqual(status, ['glove: hello']);
});

test('replay of a recorded episode file (with header) as fast as possible', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sg-replay-'));
  try {
    const file = path.join(dir, 'rec.csv');
    writeFileSync(file, 'timestamp_ms,recv_timestamp_ms,pitch,roll,yaw,flex1,flex2,flex3,flex4,flex5,sampling_hz,accel_x,accel_y,accel_z\n'
      + '0,1,2,3,4,700,701,702,703,704,33.3,0.1,0.2,0.3\n'
      + 'broken line\n'
      + '30,1,2,3,4,710,711,712,713,714,33.3,0.1,0.2,0.3\n');
    const source = openReplaySource(file, { speed: Infinity });
    const { frames, done } = collect(source);
    await done;
    assert.deepEqual(frames.map((f) => f.values[FLEX1]), [700, 710]);
    assert.equal(source.stats.headers, 1);
    assert.equal(source.stats.malformed, 1);
    assert.throws(() => openReplaySource(path.join(dir, 'missing.csv')), /no such file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('TCP: reads a glove server, survives malformed lines and reconnects after the link drops', async () => {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    if (connections === 1) {
      socket.write(`${line9(0)}\n${line9(30)}\n@@@\n`);
      setTimeout(() => socket.destroy(), 50); // the WiFi link drops
    } else {
      socket.write(`${line9(60)}\n`);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const status: string[] = [];
  const source = openTcpSource('127.0.0.1', port, { onStatus: (m) => status.push(m) });
  const { frames, done } = collect(source);
  try {
    await waitFor(() => frames.length >= 3, 'three frames over two connections');
    assert.deepEqual(frames.map((f) => f.t), [0, 30, 60]);
    assert.equal(source.stats.malformed, 1);
    assert.equal(source.stats.reconnects, 1);
    assert.ok(status.some((m) => /disconnected/.test(m)) && status.some((m) => /reconnected/.test(m)), status.join('|'));
  } finally {
    source.close();
    await done;
    server.close();
  }
});

test('TCP: a glove that is not there fails with a clear error', async () => {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r())); // nothing listens there now
  const { done } = collect(openTcpSource('127.0.0.1', port));
  await assert.rejects(done, /cannot connect to the glove at tcp 127\.0\.0\.1:\d+: connection refused/);
});

test('UDP: datagrams with one or more lines become frames', async () => {
  let boundPort = 0;
  const source = openUdpSource(0, { host: '127.0.0.1', onListening: (p) => (boundPort = p) });
  const { frames, done } = collect(source);
  const client = dgram.createSocket('udp4');
  try {
    await waitFor(() => boundPort > 0, 'the UDP socket to bind');
    // UDP may drop datagrams even on loopback in principle: resend until all have arrived
    await waitFor(() => {
      if (frames.length < 3) {
        client.send(`${line9(0)}\n${line9(30)}`, boundPort, '127.0.0.1');
        client.send(`${line9(60)}\nx,y`, boundPort, '127.0.0.1');
      }
      return frames.length >= 3;
    }, 'three UDP frames');
    assert.deepEqual(frames.slice(0, 3).map((f) => f.t), [0, 30, 60]);
    assert.ok(source.stats.malformed >= 1);
  } finally {
    client.close();
    source.close();
    await done;
  }
});

test('serial through serialport\'s mock binding: lines in, frames out, clear error for a missing port', async () => {
  SerialPortMock.binding.reset();
  SerialPortMock.binding.createPort('/dev/ttyMOCK0', { echo: false, record: false });
  let opened: SerialPortMock | undefined;
  const ports: SerialPortFactory = {
    create: (p, baudRate) => (opened = new SerialPortMock({ path: p, baudRate, autoOpen: false })) as unknown as SerialPortLike,
    list: () => SerialPortMock.list(),
  };
  const source = openSerialSource('/dev/ttyMOCK0', { ports, reconnect: false });
  const { frames, done } = collect(source);
  await waitFor(() => opened?.isOpen === true, 'the mock port to open');
  opened!.port!.emitData(`${line9(0)}\n#boot\n12,oops\n${line9(30)}\n`);
  await waitFor(() => frames.length >= 2, 'two frames');
  assert.equal(opened!.baudRate, 115200);
  assert.equal(source.stats.malformed, 1);
  assert.equal(source.stats.messages, 1);
  source.close();
  await done;
  const missing = collect(openSerialSource('/dev/ttyNOTHERE', { ports }));
  await assert.rejects(missing.done, /cannot open the glove's serial port \/dev\/ttyNOTHERE.*Ports found: \/dev\/ttyMOCK0/);
});

const hasPython = spawnSync('python3', ['-c', 'import pty'], { stdio: 'ignore' }).status === 0;

test('serial on a pseudo-terminal: unplugging and plugging the glove back in', { skip: hasPython ? false : 'python3 with pty not available' }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sg-pty-'));
  const link = path.join(dir, 'ttyGLOVE');
  const glove = spawn('python3', [path.join(here, 'fake_glove.py'), link], { stdio: ['pipe', 'pipe', 'inherit'] });
  let acks = 0;
  glove.stdout.on('data', (d: Buffer) => (acks += (d.toString().match(/ok/g) ?? []).length));
  const command = async (cmd: string): Promise<void> => {
    const want = acks + 1;
    glove.stdin.write(`${cmd}\n`);
    await waitFor(() => acks >= want, `fake glove to do '${cmd}'`);
  };
  const status: string[] = [];
  let source: ReturnType<typeof openSerialSource> | undefined;
  let done: Promise<void> | undefined;
  try {
    await waitFor(() => acks >= 1, 'the pseudo-terminal');
    source = openSerialSource(link, { onStatus: (m) => status.push(m) });
    const c = collect(source);
    done = c.done;
    await waitFor(() => status.some((m) => /connected on/.test(m)), 'the port to open');
    await command(`write ${line9(0)}`);
    await command(`write ${line9(30, 810)}`);
    await command('write 1,2,not-a-number');
    await waitFor(() => c.frames.some((f) => f.t === 30), 'frame t=30');
    await command('unplug');
    await waitFor(() => status.some((m) => /disconnected/.test(m)), 'the disconnect to be noticed');
    await command('plug');
    await waitFor(() => status.some((m) => /reconnected/.test(m)), 'the reconnect');
    await command(`write ${line9(90, 820)}`);
    await waitFor(() => c.frames.some((f) => f.t === 90), 'a frame after reconnecting');
    assert.equal(source.stats.reconnects, 1);
    assert.equal(source.stats.malformed, 1);
    assert.deepEqual(c.frames.map((f) => f.t), [0, 30, 90]);
    assert.equal(c.frames.find((f) => f.t === 90)!.values[FLEX1], 820);
  } finally {
    source?.close();
    await done?.catch(() => {});
    if (glove.exitCode === null && glove.signalCode === null) {
      const exited = new Promise((r) => glove.once('exit', r));
      glove.stdin.end('quit\n');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

test('source descriptions parse, and bad ones say what is wrong', () => {
  assert.deepEqual(parseSourceSpec('serial:/dev/ttyACM0'), { kind: 'serial', path: '/dev/ttyACM0' });
  assert.deepEqual(parseSourceSpec('tcp:192.168.4.1:3333'), { kind: 'tcp', host: '192.168.4.1', port: 3333 });
  assert.deepEqual(parseSourceSpec('tcp:[::1]:3333'), { kind: 'tcp', host: '::1', port: 3333 });
  assert.deepEqual(parseSourceSpec('udp:3333'), { kind: 'udp', port: 3333 });
  assert.deepEqual(parseSourceSpec('udp:0.0.0.0:3333'), { kind: 'udp', host: '0.0.0.0', port: 3333 });
  assert.deepEqual(parseSourceSpec('stdin'), { kind: 'stdin' });
  assert.deepEqual(parseSourceSpec('replay:a:b.csv'), { kind: 'replay', file: 'a:b.csv' });
  assert.deepEqual(parseSourceSpec('sim:안녕'), { kind: 'sim', text: '안녕' });
  assert.throws(() => parseSourceSpec('tcp:3333'), /expected HOST:PORT/);
  assert.throws(() => parseSourceSpec('tcp:host:99999'), /outside 1–65535/);
  assert.throws(() => parseSourceSpec('bluetooth:x'), /unknown kind 'bluetooth'/);
  assert.throws(() => parseSourceSpec('serial:'), /give the port/);
  assert.throws(() => openSource('sim:했어'), /Tense consonants/);
});
