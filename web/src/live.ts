/** Live page: glove (Web Serial) or simulator frames → plots, current letter, top-5, composed text. */
import { channelIndices, type Frame } from '../../src/stream/frame.js';
import { GloveLineParser } from '../../src/stream/line-parser.js';
import { simulateText, type SimulatedStream } from '../../src/stream/simulator/simulate.js';
import { validateParams, type SimulatorParams } from '../../src/stream/simulator/params.js';
import { simulatedWearingStats } from '../../src/stream/simulator/wearing.js';
import type { LiveEvent } from '../../src/server/live.js';
import type { HealthWarning } from '../../src/stream/sensor-health.js';
import { createEngine, type Engine, type Where } from './engine.js';
import { applyI18n, onLangChange, setupLangToggle, t, type Key } from './i18n.js';
import { ChannelPlots } from './plots.js';
import { browserRecognizer, serverRecognizer, type LiveRecognizer } from './recognizers.js';
import { connectSerial, hasWebSerial, type SerialConnection } from './serial.js';
import { $, checkedValue, setMessage, showEngine, showPrediction } from './ui.js';
import { Lexicon, WordDecoder } from '../../src/stream/word-decoder.js';

type State = 'idle' | 'connecting' | 'sim' | 'serial' | 'server' | 'done' | 'ended' | 'closed' | 'error';

const params = new URLSearchParams(location.search);
// ?speed=4 plays the simulator faster (demos, tests); ?seed=n picks another simulated signer.
const SPEED = Math.min(16, Math.max(0.25, Number(params.get('speed')) || 1));
let seed = Number(params.get('seed')) || 1;
// ?model=NAME: a shipped model, or personal:NAME for one calibrated in this browser
const MODEL = params.get('model') ?? undefined;

let engine: Engine | undefined;
let plots: ChannelPlots | undefined;
let recognizer: LiveRecognizer | undefined;
let pick: number[] = [];
let stopSource: (() => Promise<void> | void) | undefined;
let state: State = 'idle';
let simParams: Promise<SimulatorParams> | undefined;
let watchSocket: WebSocket | undefined;
let serverModel = '';
let serverLexicon = false;

function setState(s: State, detail?: string): void {
  state = s;
  const el = $('status');
  el.dataset.state = s;
  const serverNote = engine?.where === 'server' && recognizer && (s === 'sim' || s === 'serial') ? ` · ${t('status.serverEngine')}` : '';
  // Idle means "not connected" for the glove, but "ready" for the simulator.
  const key = s === 'idle' && checkedValue('source') === 'sim' ? 'status.ready' : (`status.${s}` as Key);
  el.textContent = t(key) + serverNote + (detail ? ` — ${detail}` : '');
  const running = s === 'sim' || s === 'connecting' || s === 'serial' || s === 'server';
  $<HTMLButtonElement>('sim-start').disabled = running;
  $<HTMLButtonElement>('sim-stop').disabled = !running;
  $('serial-connect').textContent = s === 'serial' ? t('serial.disconnect') : t('serial.connect');
}

function onEvent(e: LiveEvent): void {
  if (e.type === 'prediction') showPrediction({ jamo: e.jamo, confidence: e.confidence, topK: e.top_k });
  else if (e.type === 'letter') {
    if (e.replaces) $('letters').lastElementChild?.remove();
    const chip = document.createElement('span');
    chip.textContent = e.jamo === ' ' ? '␣' : e.jamo;
    chip.title = `${t('live.held')} · ${(e.confidence * 100).toFixed(0)}%`;
    $('letters').append(chip);
  } else if (e.type === 'text') {
    // with a lexicon the 'words' event that follows carries the text (accepted words in place)
    if (!hasLexicon) $('text').textContent = e.text;
  } else if (e.type === 'words') {
    $('text').textContent = e.text;
    $('suggest-row').hidden = !e.suggestion;
    $('suggestion').textContent = e.suggestion ? `${e.suggestion.raw} → ${e.suggestion.word}` : '';
  } else if (e.type === 'health') showHealth(e.warnings);
}

/** The sensors' problems, each in one line naming the channel and what to do (empty: all healthy). */
let healthShown: HealthWarning[] = [];
function showHealth(warnings: HealthWarning[]): void {
  healthShown = warnings;
  const list = $('health');
  list.replaceChildren(
    ...warnings.map((w) => {
      const li = document.createElement('li');
      li.dataset.channel = w.channel;
      li.dataset.problem = w.problem;
      li.textContent = healthText(w);
      return li;
    }),
  );
  list.hidden = warnings.length === 0;
}

function healthText(w: HealthWarning): string {
  const range = (r: [number, number]) => `${Math.round(r[0])}–${Math.round(r[1])}`;
  const trained = w.trained ? range(w.trained) : '';
  const fill = (s: string) => s.replace('{ch}', w.channel).replace('{reads}', range(w.reads)).replace('{trained}', trained);
  return fill(t(`health.${w.problem}`)).replace('{saw}', w.trained ? fill(t('health.saw')) : '');
}

/** The word list for suggestions in the browser (the server's lexicon), fetched once. */
let decoder: WordDecoder | undefined;
let hasLexicon = false;
async function loadDecoder(): Promise<void> {
  try {
    const r = await fetch('/lexicon/words.txt');
    if (!r.ok) return;
    const lines = (await r.text()).split('\n');
    // '*' marks the user's own words
    const user = lines.filter((l) => l.startsWith('*')).map((l) => l.slice(1));
    decoder = new WordDecoder(new Lexicon(lines.filter((l) => l && !l.startsWith('*')), user));
  } catch {
    decoder = undefined;
  }
}

/** Speaks the composed text with the browser's Korean voice. */
function speak(): void {
  const text = $('text').textContent?.trim();
  if (!text) return;
  if (!('speechSynthesis' in window)) return setMessage(t('live.noSpeech'));
  speechSynthesis.cancel();
  const u = new SpeechSynthesisUtterance(text);
  u.lang = 'ko-KR';
  const voice = speechSynthesis.getVoices().find((v) => v.lang.toLowerCase().startsWith('ko'));
  if (voice) u.voice = voice;
  speechSynthesis.speak(u);
}

async function useEngine(want: Where): Promise<Engine> {
  showEngine('loading');
  try {
    engine = await createEngine(want, MODEL);
  } catch (err) {
    setMessage((err as Error).message);
    engine = await createEngine('server');
  }
  showEngine(engine.where, engine.model, want === 'browser' && engine.where === 'server');
  pick = channelIndices(engine.channels);
  plots ??= new ChannelPlots($('plots'), engine.channels);
  return engine;
}

/**
 * A fresh recogniser for a new run, on the chosen path. `sim`: the simulator's parameters when the
 * frames come from it (a wearing of its own, read with its own session statistics).
 */
function openRecognizer(eng: Engine, sim?: SimulatorParams): LiveRecognizer {
  recognizer?.close();
  hasLexicon = eng.where === 'browser' ? decoder !== undefined : serverLexicon;
  if (eng.where === 'browser' && eng.predictor) {
    // a personal model reads with its calibration's statistics: the wearing it was calibrated on
    const personal = eng.predictor.meta.calibration !== undefined;
    return browserRecognizer(eng.predictor, onEvent, { session: sim && !personal ? simulatedWearingStats(eng.predictor.meta, sim) : undefined, decoder });
  }
  return serverRecognizer(eng.model, onEvent, (s, detail) => {
    if (s === 'error') {
      setMessage(detail ?? 'WebSocket error');
    } else if (s === 'closed' && (state === 'sim' || state === 'serial')) {
      setState('closed');
      void stop();
    } else if (s === 'open') setState(state); // adds the "server stream connected" note
  }, sim !== undefined);
}

/** One frame; `timed`: the glove's own timestamp counts (a 50 Hz glove is resampled to the model's rate). */
function frameIn(frame: Frame, timed = false): void {
  const v = new Float32Array(pick.length);
  for (let i = 0; i < pick.length; i++) v[i] = frame.values[pick[i]!]!;
  plots?.push(v);
  recognizer?.push(v, timed ? frame.t : undefined);
}

async function stop(): Promise<void> {
  const s = stopSource;
  stopSource = undefined;
  await s?.();
  if (state !== 'closed' && state !== 'error') setState('idle');
}

async function loadSimParams(): Promise<SimulatorParams> {
  simParams ??= fetch('/simulator/params.json').then(async (r) => {
    if (!r.ok) throw new Error(`simulator parameters: HTTP ${r.status}`);
    return validateParams(await r.json(), '/simulator/params.json');
  });
  simParams.catch(() => (simParams = undefined));
  return simParams;
}

async function startSimulator(phrase: string): Promise<void> {
  await stop();
  setMessage(undefined);
  const text = phrase.trim().replace(/\s+/g, '');
  if (!text) return setMessage(t('sim.phrase'), 'info');
  setState('connecting');
  let sim: SimulatedStream;
  try {
    sim = simulateText(text, { params: await loadSimParams(), seed: seed++ });
  } catch (err) {
    setState('idle');
    return setMessage((err as Error).message);
  }
  const frames = sim.frames;
  // The letters being signed, the current one highlighted, to compare with what is recognised.
  const progress = $('sim-progress');
  const chips = sim.segments.map((seg) => {
    const c = document.createElement('span');
    c.textContent = seg.jamo;
    return c;
  });
  progress.replaceChildren(...chips);
  progress.dataset.label = t('sim.signing');
  progress.hidden = false;
  const eng = engine ?? (await useEngine(checkedValue('engine') as Where));
  recognizer = openRecognizer(eng, await loadSimParams());
  setState('sim');
  // Frames play at their recorded pace (times SPEED), a few per timer tick.
  const t0 = performance.now();
  const f0 = frames[0]!.t;
  let i = 0;
  const timer = setInterval(() => {
    const due = f0 + (performance.now() - t0) * SPEED;
    while (i < frames.length && frames[i]!.t <= due) frameIn(frames[i++]!);
    sim.segments.forEach((seg, k) => chips[k]!.classList.toggle('now', i > seg.start && i <= seg.end));
    if (i >= frames.length) {
      clearInterval(timer);
      stopSource = undefined;
      setState('done');
    }
  }, 30);
  stopSource = () => clearInterval(timer);
}

async function toggleSerial(): Promise<void> {
  if (state === 'serial') return stop();
  await stop();
  setMessage(undefined);
  const eng = engine ?? (await useEngine(checkedValue('engine') as Where));
  const parser = new GloveLineParser();
  setState('connecting');
  let conn: SerialConnection;
  try {
    conn = await connectSerial((line) => {
      const p = parser.parse(line);
      if (p.kind === 'frame') frameIn(p.frame, true);
    });
  } catch (err) {
    setState('idle');
    // Cancelling the port picker is not an error worth shouting about.
    if ((err as Error).name !== 'NotFoundError') setMessage((err as Error).message);
    return;
  }
  recognizer = openRecognizer(eng);
  setState('serial');
  stopSource = () => conn.close();
  conn.done.then(
    () => state === 'serial' && (setState('closed'), void stop()),
    (err: unknown) => (setState('error'), setMessage((err as Error).message), void stop()),
  );
}

/** The glove the server reads: frames for the plots and the server's recognition, over /stream/glove. */
function watchServerGlove(): void {
  setMessage(undefined);
  recognizer?.close();
  recognizer = undefined;
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/stream/glove`);
  let closing = false;
  setState('connecting');
  showEngine('server', serverModel);
  ws.addEventListener('message', (m) => {
    const msg = JSON.parse(String(m.data)) as LiveEvent | { type: 'frame'; values: number[] } | { type: 'ready'; source: string } | { type: 'status'; message: string } | { type: 'end'; message: string } | { type: 'error'; error: string };
    if (msg.type === 'frame') plots?.push(msg.values);
    else if (msg.type === 'ready') setState('server', msg.source);
    else if (msg.type === 'status') setState('server', msg.message);
    else if (msg.type === 'end') setState('ended', msg.message);
    else if (msg.type === 'error') setMessage(msg.error);
    else onEvent(msg);
  });
  ws.addEventListener('close', () => {
    if (!closing && state !== 'closed' && state !== 'ended') setState('closed');
  });
  watchSocket = ws;
  stopSource = () => {
    closing = true;
    watchSocket = undefined;
    ws.close();
  };
}

function showSource(): void {
  const src = checkedValue('source');
  $('sim-form').hidden = src !== 'sim';
  $('serial-box').hidden = src !== 'serial';
  // Watching the server's glove means the server recognises: the engine choice does not apply.
  const radios = [...document.querySelectorAll<HTMLInputElement>('input[name="engine"]')];
  for (const r of radios) {
    r.disabled = src === 'server';
    // Shown as "on the server" while watching; the user's own choice comes back afterwards.
    r.checked = src === 'server' ? r.value === 'server' : r.value === (engine?.where ?? 'browser');
  }
  if (src === 'server') watchServerGlove();
  else if (engine) showEngine(engine.where, engine.model);
  const can = hasWebSerial();
  $<HTMLButtonElement>('serial-connect').disabled = !can;
  $('serial-note').hidden = can;
}

async function main(): Promise<void> {
  setupLangToggle($<HTMLButtonElement>('lang'));
  onLangChange(() => {
    setState(state);
    $('sim-progress').dataset.label = t('sim.signing');
    if (engine) showEngine(engine.where, engine.model);
    showHealth(healthShown);
  });
  setState('idle');
  showPrediction(undefined);
  showSource();
  for (const r of document.querySelectorAll<HTMLInputElement>('input[name="source"]')) {
    r.addEventListener('change', async () => {
      await stop();
      setState('idle');
      showSource();
    });
  }
  // The server's glove is offered only when the server reads one.
  const health = (await (await fetch('/health')).json()) as { source: string | null; model: string };
  serverModel = health.model;
  // the server offers a word list when it has a lexicon; the browser path loads it in the background
  serverLexicon = (await fetch('/lexicon/words.txt', { method: 'HEAD' })).ok;
  if (serverLexicon) void loadDecoder();
  const serverRadio = document.querySelector<HTMLInputElement>('input[name="source"][value="server"]')!;
  serverRadio.disabled = !health.source;
  // Why it is greyed out, without crowding the panel: a tooltip (and the note, for screen readers).
  serverRadio.closest('label')!.title = health.source ? health.source : t('source.serverNone');
  for (const r of document.querySelectorAll<HTMLInputElement>('input[name="engine"]')) {
    r.addEventListener('change', async () => {
      await stop();
      recognizer?.close();
      recognizer = undefined;
      await useEngine(checkedValue('engine') as Where);
    });
  }
  $('sim-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void startSimulator($<HTMLInputElement>('phrase').value);
  });
  $('sim-stop').addEventListener('click', () => void stop());
  $('serial-connect').addEventListener('click', () => void toggleSerial());
  $('clear').addEventListener('click', () => {
    recognizer?.reset();
    watchSocket?.send(JSON.stringify({ type: 'reset' }));
    $('text').textContent = '';
    $('letters').replaceChildren();
    $('suggest-row').hidden = true;
    showPrediction(undefined);
  });
  $('speak').addEventListener('click', speak);
  $<HTMLButtonElement>('speak').disabled = !('speechSynthesis' in window);
  $('suggestion').addEventListener('click', () => recognizer?.accept());
  applyI18n();
  await useEngine(checkedValue('engine') as Where);
  document.body.dataset.ready = 'true';
}

main().catch((err: unknown) => setMessage(String((err as Error).message ?? err)));
