/** `signglove live --source …`: letters and Hangul text from a glove, as it signs. */
import type { Command } from 'commander';
import type { CommandModule } from '../command-module.js';
import { UserError } from '../errors.js';
import { int, num } from '../options.js';
import { loadModel } from '../../infer/index.js';
import { useSimulatedWearing } from '../../stream/simulator/wearing.js';
import { openSource, parseSourceSpec, SOURCE_FORMS, SourceSpecError } from '../../stream/source-spec.js';
import { calibrationHint, prototypeModel, recognizerFor, runLiveSession, type LiveModel } from '../../stream/live-session.js';
import type { FrameSource } from '../../stream/frame.js';
import { printOut, printErr } from '../output.js';
import { escapeLine } from '../../util/escape-controls.js';
import { SPACE, type FrameUpdate, type RecognizedLetter, type StreamingRecognizer } from '../../stream/recognizer.js';
import { emitKeypressEvents } from 'node:readline';
import { createLogUpdate } from 'log-update';
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';
import { loadLexicon } from '../../stream/lexicon-files.js';
import { WordDecoder } from '../../stream/word-decoder.js';
import { SuggestionText, type SuggestionState } from '../../stream/suggestions.js';
import { healthReporter } from '../../stream/sensor-health.js';
import type { BundleMeta } from '../../bundle/types.js';

interface LiveFlags {
  source: string;
  model?: string;
  speed: number;
  seed: number;
  confidence: number;
  adapt: boolean;
  reconnect: boolean;
  silenceTimeout: number;
  lexicon?: boolean;
  words?: string;
}

export const liveCommand: CommandModule = (program: Command) => {
  program
    .command('live')
    .description('recognise letters live from a glove (serial, WiFi, stdin, a recording or a simulation) and compose Hangul')
    .requiredOption('--source <source>', SOURCE_FORMS)
    .option('--model <name|path|prototype>', "model bundle, shipped name or a profile folder (its latest personal model; default: the shipped tree ensemble, extra_trees); 'prototype' needs no trained model")
    .option('--speed <n>', 'replay/simulation speed (1 = real time)', num, 1)
    .option('--seed <n>', 'simulation seed', int, 1)
    .option('--confidence <p>', 'minimum probability for a letter', num, 0.85)
    .option('--no-adapt', 'keep the model\'s session statistics (default: a real glove on a model that is not calibrated learns today\'s wearing from your holds)')
    .option('--no-reconnect', 'stop when the glove or link goes away instead of waiting for it')
    .option('--silence-timeout <s>', 'serial/tcp/udp: say "no data for S s" and reconnect when the glove sends nothing for S seconds (0 = wait forever)', num, 5)
    .option('--lexicon', 'suggest words from the Korean dictionary (dictionary-ko); on a terminal Tab accepts the suggestion, Backspace removes a letter')
    .option('--words <file>', 'your own word list (one word per line) for suggestions (implies --lexicon)')
    .addHelpText('after', '\nExamples:\n  signglove live --source serial:/dev/ttyACM0\n  signglove live --source tcp:192.168.4.1:3333\n  signglove live --source sim:안녕하세요 --speed 4\n  signglove simulate --text 한글 | signglove live --source stdin')
    .action(async (flags: LiveFlags) => {
      if (!(flags.speed > 0)) throw new UserError(`--speed must be positive, got ${flags.speed}`);
      if (!(flags.confidence > 0 && flags.confidence <= 1)) throw new UserError(`--confidence must be in (0, 1], got ${flags.confidence}`);
      if (!(flags.silenceTimeout >= 0)) throw new UserError(`--silence-timeout must be 0 or a positive number of seconds, got ${flags.silenceTimeout}`);
      let kind: string;
      try {
        kind = parseSourceSpec(flags.source).kind;
      } catch (e) {
        if (e instanceof SourceSpecError) throw new UserError(e.message);
        throw e;
      }
      const model = await loadLiveModel(flags.model);
      const controller = new AbortController();
      const onSigint = (): void => controller.abort();
      process.once('SIGINT', onSigint);
      const tty = process.stdout.isTTY === true;
      const view = tty ? new TerminalView() : undefined;
      const status = (msg: string): void => (view ? view.message(msg) : void printErr(`${msg}\n`));
      let source: FrameSource;
      try {
        source = openSource(flags.source, { speed: flags.speed, seed: flags.seed, reconnect: flags.reconnect, silenceTimeoutMs: flags.silenceTimeout * 1000, signal: controller.signal, onStatus: status });
      } catch (e) {
        throw new UserError((e as Error).message);
      }
      const hint = calibrationHint(model, { kind, source: flags.source, model: flags.model });
      if (hint) status(hint);
      // a simulated glove is a wearing of its own: read it with its session statistics
      // (a personal model keeps the wearing it was calibrated on)
      if (flags.source.startsWith('sim:') && !(model as { meta?: BundleMeta }).meta?.calibration) useSimulatedWearing(model);
      const recognizer = recognizerFor(model, { confidence: flags.confidence }, undefined, flags.adapt && !flags.source.startsWith('sim:'));
      let suggestions: SuggestionText | undefined;
      if (flags.lexicon || flags.words) {
        try {
          suggestions = new SuggestionText(new WordDecoder(loadLexicon({ userFile: flags.words })));
        } catch (e) {
          throw new UserError(`--words: ${(e as Error).message}`);
        }
      }
      if (view) view.attach(recognizer, source, model.info.name, suggestions);
      else recognizer.on('letter', (l) => printOut(`${formatLetter(l)}\n`));
      const keys = view && suggestions && process.stdin.isTTY && !flags.source.startsWith('stdin') ? listenKeys(view, controller) : undefined;
      try {
        const result = await runLiveSession(source, recognizer, healthReporter((model as { meta?: BundleMeta }).meta?.preprocess.trainingSessions, (line) => (view ? view.message(line) : void printErr(`${line}\n`))));
        keys?.();
        view?.close();
        const final = suggestions ? view?.currentText() ?? result.text : result.text;
        printOut(`${final}\n`);
        if (suggestions && !view) {
          const state = suggestions.update(result.letters);
          const decoded = suggestions.decodeAll(result.letters);
          if (decoded !== state.raw.trim()) printOut(`suggested: ${decoded}\n`);
        }
        const s = source.stats;
        if (s.malformed) printErr(`${s.malformed} malformed line${s.malformed === 1 ? '' : 's'} skipped (last: ${s.lastMalformed})\n`);
      } catch (e) {
        keys?.();
        view?.close();
        throw new UserError((e as Error).message);
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
    });
};

/** The model to recognise with: a named/pathed bundle, the shipped tree ensemble by default, or 'prototype' (no trained model needed). */
export async function loadLiveModel(name: string | undefined): Promise<LiveModel> {
  if (name === 'prototype') return prototypeModel();
  try {
    return await loadModel(name);
  } catch (e) {
    throw new UserError((e as Error).message);
  }
}

/** One letter as a line: the jamo, its confidence, and the runners-up. */
export function formatLetter(l: RecognizedLetter): string {
  if (l.jamo === SPACE) return '(space)';
  const line = `${l.jamo} ${l.confidence.toFixed(2)}  (${l.topK.map((s) => `${s.jamo} ${s.confidence.toFixed(2)}`).join(', ')})`;
  return l.replaces ? `${line}  replaces the letter before` : line;
}

/** The terminal's width in columns (a Hangul syllable takes two). */
function terminalColumns(): number {
  return process.stdout.columns || Number(process.env.COLUMNS) || 80;
}

/** One line cut to `width` columns (East Asian width and colour codes counted right); `keepEnd` cuts the start instead. */
export function fitLine(line: string, width: number, keepEnd = false): string {
  return stringWidth(line) <= width ? line : cliTruncate(line, width, { position: keepEnd ? 'start' : 'end' });
}

/** A label and a value that grows (the text so far): the label stays, the value's latest part shows. */
function labelled(label: string, value: string, width: number): string {
  return label + fitLine(value, Math.max(1, width - stringWidth(label)), true);
}

/**
 * A few lines redrawn in place on a terminal: source counters, the current letter with top-3, the
 * text so far. Every line is cut to the terminal's width, so nothing wraps and the redraw
 * (log-update: erase the block, write it again) never leaves copies behind.
 */
class TerminalView {
  // showCursor: hiding it would make cli-cursor hook SIGINT (signal-exit) and kill the process before Ctrl-C's clean stop
  private readonly block = createLogUpdate(process.stdout, { showCursor: true });
  private last: FrameUpdate | undefined;
  private text = '';
  private lastLetter = '';
  private source: FrameSource | undefined;
  private name = '';
  private lastDraw = 0;
  private suggestions: SuggestionText | undefined;
  private state: SuggestionState | undefined;
  private rec: StreamingRecognizer | undefined;

  attach(rec: StreamingRecognizer, source: FrameSource, modelName: string, suggestions?: SuggestionText): void {
    this.source = source;
    this.name = modelName;
    this.suggestions = suggestions;
    this.rec = rec;
    rec.on('frame', (u) => {
      this.last = u;
      const now = performance.now();
      if (now - this.lastDraw > 66) this.draw(); // ~15 redraws a second is plenty for the eye
    });
    rec.on('letter', (l) => (this.lastLetter = `${l.jamo} ${l.confidence.toFixed(2)}`));
    rec.on('text', (t) => {
      this.text = t;
      if (this.suggestions) this.state = this.suggestions.update(rec.letters);
      this.draw();
    });
    this.draw();
  }

  /** Tab: the suggestion replaces the latest word's letters. */
  accept(): void {
    if (!this.suggestions) return;
    this.state = this.suggestions.accept();
    this.draw();
  }

  /** Backspace: the last letter (or space) goes. */
  backspace(): void {
    this.rec?.backspace();
  }

  /** The text as shown (accepted suggestions in place). */
  currentText(): string {
    return (this.state?.text ?? this.text).trimEnd();
  }

  /** Prints a status line above the live block (wrapped at the terminal's width, not cut). */
  message(msg: string): void {
    this.block.persist(escapeLine(msg));
    this.draw();
  }

  close(): void {
    this.block.clear();
    this.block.done();
  }

  private draw(): void {
    this.lastDraw = performance.now();
    // one column spare: some terminals wrap a line that fills the last column
    const width = Math.max(10, terminalColumns() - 1);
    const s = this.source?.stats;
    const u = this.last;
    const state = !u ? 'waiting for frames…' : !u.held ? 'moving' : u.spent ? 'held (letter given)' : 'held';
    const now = u?.best ? `${u.best.jamo} ${(u.best.confidence * 100).toFixed(0)}%` : '·';
    const top = u?.topK.length ? u.topK.map((k) => `${k.jamo} ${(k.confidence * 100).toFixed(0)}%`).join('  ') : '';
    const out = [
      `\x1b[2m${fitLine(`frames ${s?.frames ?? 0} · malformed ${s?.malformed ?? 0} · reconnects ${s?.reconnects ?? 0} · ${escapeLine(this.name)} · ${escapeLine(this.source?.description ?? '')}`, width)}\x1b[0m`,
      fitLine(`now \x1b[1m${now}\x1b[0m ${state}  top-3: ${top}  last: ${escapeLine(this.lastLetter)}`, width),
      labelled('text  ', escapeLine(this.state?.text ?? this.text), width),
    ];
    if (this.suggestions) {
      const sg = this.state?.suggestion;
      out.push(sg ? fitLine(`word  ${sg.raw} → \x1b[1m${sg.word}\x1b[0m   (Tab accepts, Backspace removes a letter)`, width) : labelled('letters  ', this.state?.raw ?? '', width));
    }
    this.block(out.join('\n')); // pieces escaped above
  }
}

/** Tab and Backspace from the keyboard while live (raw mode, so Ctrl-C is handled here); returns the undo. */
function listenKeys(view: TerminalView, controller: AbortController): () => void {
  emitKeypressEvents(process.stdin);
  process.stdin.setRawMode(true);
  const onKey = (_: string, key: { name?: string; ctrl?: boolean } | undefined): void => {
    if (key?.ctrl && key.name === 'c') controller.abort();
    else if (key?.name === 'tab') view.accept();
    else if (key?.name === 'backspace') view.backspace();
  };
  process.stdin.on('keypress', onKey);
  return () => {
    process.stdin.off('keypress', onKey);
    process.stdin.setRawMode(false);
    process.stdin.pause();
  };
}
