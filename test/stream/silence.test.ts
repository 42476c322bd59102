/** A glove that goes quiet without closing its link is noticed, reported and reconnected (issue 16, item 5). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import dgram from 'node:dgram';
import { SerialPortMock } from 'serialport';
import { openTcpSource } from '../../src/stream/sources/tcp.js';
import { openUdpSource } from '../../src/stream/sources/udp.js';
import { openSerialSource, type SerialPortFactory, type SerialPortLike } from '../../src/stream/sources/serial.js';
import { collect, line9, waitFor } from './helpers.js';

test('TCP: a glove that stops sending but keeps the link open is reported and reconnected', async () => {
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.write(`${line9(sockets.length * 30)}\n`); // one frame, then silence with the link open
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const status: string[] = [];
  const source = openTcpSource('127.0.0.1', port, { onStatus: (m) => status.push(m), silenceTimeoutMs: 200 });
  const { frames, done } = collect(source);
  try {
    await waitFor(() => frames.length >= 2, 'a frame from a second connection');
    assert.ok(status.some((m) => /glove disconnected \(tcp 127\.0\.0\.1:\d+\): no data for 0\.2 s; reconnecting…/.test(m)), status.join(' | '));
    assert.ok(source.stats.reconnects >= 1);
  } finally {
    source.close();
    await done;
    for (const s of sockets) s.destroy();
    server.close();
  }
});

test('UDP: silence is reported and the source listens again', async () => {
  let boundPort = 0;
  const status: string[] = [];
  const source = openUdpSource(0, { host: '127.0.0.1', onListening: (p) => (boundPort = p), onStatus: (m) => status.push(m), silenceTimeoutMs: 200 });
  const { frames, done } = collect(source);
  const client = dgram.createSocket('udp4');
  try {
    await waitFor(() => status.some((m) => /no data for 0\.2 s; listening again/.test(m)), 'the silence report');
    await waitFor(() => {
      if (frames.length < 1) client.send(`${line9(0)}\n`, boundPort, '127.0.0.1');
      return frames.length >= 1;
    }, 'a frame after listening again');
  } finally {
    client.close();
    source.close();
    await done;
  }
});

test('serial: a port that stays open but silent is reopened', async () => {
  SerialPortMock.binding.reset();
  SerialPortMock.binding.createPort('/dev/ttyQUIET', { echo: false, record: false });
  const opened: SerialPortMock[] = [];
  const ports: SerialPortFactory = {
    create: (p, baudRate) => {
      const port = new SerialPortMock({ path: p, baudRate, autoOpen: false });
      opened.push(port);
      return port as unknown as SerialPortLike;
    },
    list: () => SerialPortMock.list(),
  };
  const status: string[] = [];
  const source = openSerialSource('/dev/ttyQUIET', { ports, onStatus: (m) => status.push(m), silenceTimeoutMs: 200 });
  const { frames, done } = collect(source);
  try {
    await waitFor(() => opened[0]?.isOpen === true, 'the mock port to open');
    opened[0]!.port!.emitData(`${line9(0)}\n`);
    await waitFor(() => source.stats.reconnects >= 1 && opened.at(-1)!.isOpen, 'the port reopened');
    assert.ok(status.some((m) => /glove disconnected from \/dev\/ttyQUIET: no data for 0\.2 s; waiting for it to come back…/.test(m)), status.join(' | '));
    opened.at(-1)!.port!.emitData(`${line9(30)}\n`);
    await waitFor(() => frames.length >= 2, 'a frame after reopening');
  } finally {
    source.close();
    await done;
  }
});
