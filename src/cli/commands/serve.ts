/** `signglove serve`: the HTTP API, the WebSocket stream and the web UI on one port. */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { asUserError, UserError } from '../errors.js';
import { PACKAGE_ROOT } from '../../paths.js';
import { shippedCatalog } from '../../server/shipped.js';
import { startServer } from '../../server/server.js';
import { normaliseOrigin } from '../../server/guard.js';
import { createLiveSession } from '../../stream/live-session.js';
import { parseSourceSpec, SOURCE_FORMS } from '../../stream/source-spec.js';
import { printOut } from '../output.js';
import { koreanDictionaryWords, readWordList } from '../../stream/lexicon-files.js';
import { Lexicon, WordDecoder } from '../../stream/word-decoder.js';

interface ServeFlags {
  port: string;
  host: string;
  model?: string;
  maxBody: string;
  source?: string;
  speed: string;
  allowOrigin?: string[];
  lexicon: boolean;
  words?: string;
}

export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('HTTP API (/predict, /predict/batch, /models, /health, /openapi.json), WebSocket /stream and the web UI')
    .option('-p, --port <n>', 'port to listen on', '8000')
    .option('--host <addr>', 'address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 lets every machine that can reach this one use the API and see the glove)', '127.0.0.1')
    .option('--allow-origin <origin...>', "web origins (scheme://host[:port]) whose pages may use the API and WebSockets besides the server's own pages")
    .option('-m, --model <name|path>', 'default model: a shipped name, a .safetensors bundle, or a profile folder (its latest personal model, listed on the web page; default: the shipped tree ensemble, extra_trees)')
    .option('--max-body <MB>', 'largest request body in megabytes', '8')
    .option('-s, --source <spec>', `a glove the server reads and shows on the live page (${SOURCE_FORMS})`)
    .option('--speed <x>', 'replay/simulation speed of --source', '1')
    .option('--no-lexicon', 'no word suggestions (the Korean dictionary is loaded by default)')
    .option('--words <file>', 'your own word list for suggestions (one word per line)')
    .action(async (flags: ServeFlags) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port must be a whole number 0–65535, got '${flags.port}'`);
      const maxMb = Number(flags.maxBody);
      if (!(maxMb > 0)) throw new UserError(`--max-body must be a positive number of megabytes, got '${flags.maxBody}'`);
      const speed = Number(flags.speed);
      if (!(speed > 0)) throw new UserError(`--speed must be a positive number, got '${flags.speed}'`);
      for (const o of flags.allowOrigin ?? []) {
        try {
          normaliseOrigin(o);
        } catch (err) {
          throw new UserError(`--allow-origin: ${(err as Error).message}`);
        }
      }
      if (flags.source) asUserError(() => parseSourceSpec(flags.source!));
      const catalog = await asUserError(() => shippedCatalog(flags.model));
      let lexiconWords: string[] | undefined;
      let decoder: WordDecoder | undefined;
      if (flags.lexicon) {
        try {
          const user = flags.words ? readWordList(flags.words) : [];
          const dictionary = koreanDictionaryWords();
          decoder = new WordDecoder(new Lexicon(dictionary, user));
          lexiconWords = [...user.map((w) => `*${w}`), ...dictionary];
        } catch (err) {
          throw new UserError(`lexicon: ${(err as Error).message}`);
        }
      }
      const { version } = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
      let server;
      try {
        server = await startServer({ catalog, port, host: flags.host, version, maxBodyBytes: Math.round(maxMb * 1024 * 1024), createSession: (m, o) => createLiveSession(m, { ...o, decoder }), lexiconWords, allowOrigins: flags.allowOrigin ?? [], ...(flags.source ? { source: flags.source, sourceSpeed: speed } : {}) });
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'EADDRINUSE') throw new UserError(`port ${port} is already in use; pick another with --port`);
        throw err;
      }
      printOut(
        `signglove serve: model ${catalog.defaultName}${flags.source ? `, glove ${flags.source}` : ''}\n` +
          `  live page  ${server.url}/\n  try page   ${server.url}/try\n  API        ${server.url}/openapi.json\n`,
      );
      const stop = () => {
        void server.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
