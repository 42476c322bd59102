/** The glove straight into the browser over Web Serial (desktop Chrome/Edge), read as text lines. */

// Web Serial is not in TypeScript's DOM library yet; only what this file uses.
interface SerialPortLike {
  open(opts: { baudRate: number }): Promise<void>;
  close(): Promise<void>;
  readable: ReadableStream<Uint8Array> | null;
}
interface SerialLike {
  requestPort(): Promise<SerialPortLike>;
}

export function hasWebSerial(): boolean {
  return 'serial' in navigator;
}

export interface SerialConnection {
  close(): Promise<void>;
  /** Resolves when the glove goes away or close() was called. */
  done: Promise<void>;
}

/** Asks the user for the glove's port (115200 baud, the firmware's rate) and hands over each line. */
export async function connectSerial(onLine: (line: string) => void): Promise<SerialConnection> {
  const serial = (navigator as unknown as { serial: SerialLike }).serial;
  const port = await serial.requestPort();
  await port.open({ baudRate: 115200 });
  if (!port.readable) throw new Error('the serial port is not readable');
  const reader = port.readable.pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader();
  let stopped = false;
  const done = (async () => {
    let rest = '';
    try {
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) break;
        rest += value;
        const lines = rest.split('\n');
        rest = lines.pop()!;
        for (const l of lines) onLine(l);
      }
    } catch (err) {
      if (!stopped) throw err;
    } finally {
      reader.releaseLock();
      await port.close().catch(() => undefined);
    }
  })();
  return {
    done,
    close: async () => {
      stopped = true;
      await reader.cancel().catch(() => undefined);
      await done.catch(() => undefined);
    },
  };
}
