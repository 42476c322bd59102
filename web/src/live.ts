/** Live page: glove (Web Serial) or simulator frames → plots, current letter, top-5, composed text. */
import { channelIndices, type Frame } from '../../src/stream/frame.js';
import { GloveLineParser } from '../../src/stream/line-parser.js';
import { simulateText, type SimulatedStream } from '../../src/stream/simulator/simulate.js';
import { shippedSimulatorParams, type SimulatorParams } from '../../src/stream/simulator/params.js';
import { simulatedWearingStats } from '../../src/stream/simulator/wearing.js';
import type { LiveEvent } from '../../src/stream/live-session.js';
import type { HealthWarning } from '../../src/stream/sensor-health.js';
import type { Engine, Where } from './engine.js';
import { applyI18n, onLangChange, setupLangToggle, t, type Key } from './i18n.js';
import { ChannelPlots } from './plots.js';
import { browserRecognizer, serverRecognizer, type LiveRecognizer } from './recognizers.js';
import { connectSerial, hasWebSerial, type SerialConnection } from './serial.js';
import { $, checkedValue, chooseEngine, setMessage, setupModelPicker, showEngine, showPrediction } from './ui.js';
import { errorMessage, showError, showMessage } from './messages.js';
import { showHandshapes } from './handshapes.js';
import { SessionRecording, download, registerServiceWorker } from './session.js';
import { Lexicon, WordDecoder } from '../../src/stream/word-decoder.js';

type State = 'idle' | 'connecting' | 'sim' | 'serial' | 'server' | 'done' | 'ended' | 'closed' | 'error';

const params = new URLSearchParams(location.search);
// ?speed=4 plays the simulator faster (demos, tests); ?seed=n picks another simulated signer.
const SPEED = Math.min(16, Math.max(0.25, Number(params.get('speed')) || 1));
let seed = Number(params.get('seed')) || 1;
// ?model=NAME: a shipped model, or personal:NAME for one calibrated in this browser
const MODEL = params.get('model') ?? undefined;
/**
 * No prediction for this many frames (~0.45 s of glove time) while running: the hand is moving or
 * no sign is held. Counted in frames, so a simulator played fast shows it as a glove would; the
 * server path also waits this long in wall time, its answers arriving a batch later.
 */
const NO_SIGN_FRAMES = 15;
const SERVER_DELAY_MS = 300;

let engine: Engine | undefined;
let modelName: string | undefined = MODEL;
let plots: ChannelPlots | undefined;
let recognizer: LiveRecognizer | undefined;
let pick: number[] = [];
let stopSource: (() => Promise<void> | void) | undefined;
let state: State = 'idle';
let watchSocket: WebSocket | undefined;
let serverModel = '';
let serverLexicon = false;
let recording: SessionRecording | undefined;
let lastPredictionAt = 0;
let framesSincePrediction = 0;

const isRunning = (s: State) => s === 'sim' || s === 'connecting' || s === 'serial' || s === 'server';

function threshold(): number {
  return Number($<HTMLInputElement>('threshold').value);
}

function setState(s: State, detail?: string): void {
  const wasRunning = isRunning(state);
  state = s;
  const el = $('status');
  el.dataset.state = s;
  const serverNote = engine?.where === 'server' && recognizer && (s === 'sim' || s === 'serial') ? ` · ${t('status.serverEngine')}` : '';
  // Idle means "not connected" for the glove, but "ready" for the simulator.
  const key = s === 'idle' && checkedValue('source') === 'sim' ? 'status.ready' : (`status.${s}` as Key);
  el.textContent = t(key) + serverNote + (detail ? ` — ${detail}` : '');
  const running = isRunning(s);
  document.body.dataset.running = String(running);
  $<HTMLButtonElement>('sim-start').disabled = running;
  $<HTMLButtonElement>('sim-stop').disabled = !running;
  $('serial-connect').textContent = s === 'serial' ? t('serial.disconnect') : t('serial.connect');
  if (running && !wasRunning) {
    lastPredictionAt = performance.now();
    framesSincePrediction = 0;
  }
  if (!running && wasRunning) {
    // The stream is over: no letter is being held any more (the text and letters stay).
    showPrediction(undefined);
    setSign('idle');
  }
}

function setSign(sign: 'idle' | 'none' | 'unsure' | 'holding'): void {
  const el = $('sign-state');
  el.dataset.sign = sign;
  el.textContent = sign === 'none' ? t('sign.none') : sign === 'unsure' ? `${t('sign.unsure')} ${Math.round(threshold() * 100)}%` : sign === 'holding' ? t('sign.holding') : '';
  $('current').closest('.letter')!.setAttribute('data-sign', sign);
}

/** Each frame in: too long without a prediction means no sign is held (moving, or a rest). */
function noteFrame(): void {
  framesSincePrediction++;
  if (framesSincePrediction <= NO_SIGN_FRAMES || $('sign-state').dataset.sign === 'none') return;
  const serverPath = engine?.where === 'server' || checkedValue('source') === 'server';
  if (serverPath && performance.now() - lastPredictionAt < SERVER_DELAY_MS) return;
  showPrediction(undefined);
  setSign('none');
}

function onEvent(e: LiveEvent): void {
  recording?.event(e);
  if (e.type === 'prediction') {
    lastPredictionAt = performance.now();
    framesSincePrediction = 0;
    showPrediction({ jamo: e.jamo, confidence: e.confidence, topK: e.top_k }, threshold());
    setSign(e.confidence >= threshold() ? 'holding' : 'unsure');
  } else if (e.type === 'letter') {
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

/** A new run, a new source: nothing of the last one stays on screen. */
function resetView(): void {
  showMessage(undefined);
  showPrediction(undefined);
  setSign('idle');
  $('text').textContent = '';
  $('letters').replaceChildren();
  $('suggest-row').hidden = true;
  $('suggestion').textContent = '';
  $('sim-progress').replaceChildren();
  $('sim-progress').hidden = true;
  plots?.clear();
}

/** The word list for suggestions in the browser (the server's lexicon), fetched once. */
let decoder: WordDecoder | undefined;
let hasLexicon = false;
async function loadDecoder(r: Response): Promise<void> {
  try {
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
  if (!('speechSynthesis' in window)) return setMessage('live.noSpeech');
  speechSynthesis.cancel();
  const u = new SpeechSynthesisUtterance(text);
  u.lang = 'ko-KR';
  const voice = speechSynthesis.getVoices().find((v) => v.lang.toLowerCase().startsWith('ko'));
  if (voice) u.voice = voice;
  speechSynthesis.speak(u);
}

async function useEngine(want: Where): Promise<Engine> {
  engine = await chooseEngine(want, modelName);
  pick = channelIndices(engine.channels);
  if (!plots || plots.channels.join() !== engine.channels.join()) plots = new ChannelPlots($('plots'), engine.channels);
  return engine;
}

/**
 * A fresh recogniser for a new run, on the chosen path. `sim`: the simulator's parameters when the
 * frames come from it (a wearing of its own, read with its own session statistics).
 */
function openRecognizer(eng: Engine, sim?: SimulatorParams): LiveRecognizer {
  recognizer?.close();
  hasLexicon = eng.where === 'browser' ? decoder !== undefined : serverLexicon;
  recording = new SessionRecording(eng.channels, { model: eng.model, engine: eng.where, source: checkedValue('source'), confidence: threshold() });
  if (eng.where === 'browser' && eng.predictor) {
    // a personal model reads with its calibration's statistics: the wearing it was calibrated on
    const personal = eng.predictor.meta.calibration !== undefined;
    // a real glove on a shipped model learns today's wearing while signing (a personal model does not: see recognizerFor)
    return browserRecognizer(eng.predictor, onEvent, { session: sim && !personal ? simulatedWearingStats(eng.predictor.meta, sim) : undefined, adapt: !sim, decoder, confidence: threshold() });
  }
  return serverRecognizer(eng.model, onEvent, (s, detail) => {
    if (s === 'error') {
      showMessage({ kind: 'error', key: 'err.ws', ...(detail ? { detail } : {}) });
    } else if (s === 'closed' && (state === 'sim' || state === 'serial')) {
      setState('closed');
      void stop();
    } else if (s === 'open') setState(state); // adds the "server stream connected" note
  }, { simulated: sim !== undefined, adapt: sim === undefined, confidence: threshold() });
}

/** One frame; `timed`: the glove's own timestamp counts (a 50 Hz glove is resampled to the model's rate). */
function frameIn(frame: Frame, timed = false): void {
  const v = new Float32Array(pick.length);
  for (let i = 0; i < pick.length; i++) v[i] = frame.values[pick[i]!]!;
  plots?.push(v);
  recording?.frame(frame.t, v);
  recognizer?.push(v, timed ? frame.t : undefined);
  noteFrame();
}

async function stop(): Promise<void> {
  const s = stopSource;
  stopSource = undefined;
  await s?.();
  if (state !== 'closed' && state !== 'error') setState('idle');
}

async function startSimulator(phrase: string): Promise<void> {
  await stop();
  resetView();
  // the user's spaces stay: the simulator pauses between words as a signer does
  const text = phrase.trim().replace(/\s+/g, ' ');
  if (!text) return setMessage('err.empty', 'info');
  setState('connecting');
  let sim: SimulatedStream;
  try {
    sim = simulateText(text, { seed: seed++ });
  } catch (err) {
    setState('idle');
    // name the whole phrase as typed (the simulator checks it word by word)
    const m = errorMessage(err);
    return showMessage(m.subject ? { ...m, subject: `'${text}'` } : m);
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
  recognizer = openRecognizer(eng, shippedSimulatorParams());
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
  resetView();
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
    if ((err as Error).name !== 'NotFoundError') showError(err);
    return;
  }
  recognizer = openRecognizer(eng);
  setState('serial');
  stopSource = () => conn.close();
  conn.done.then(
    () => state === 'serial' && (setState('closed'), void stop()),
    (err: unknown) => (setState('error'), showError(err), void stop()),
  );
}

/** The glove the server reads: frames for the plots and the server's recognition, over /stream/glove. */
function watchServerGlove(): void {
  resetView();
  recognizer?.close();
  recognizer = undefined;
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/stream/glove`);
  let closing = false;
  setState('connecting');
  showEngine('server', serverModel);
  recording = new SessionRecording(engine?.channels ?? [], { model: serverModel, engine: 'server', source: 'server', confidence: threshold() });
  ws.addEventListener('message', (m) => {
    const msg = JSON.parse(String(m.data)) as LiveEvent | { type: 'frame'; values: number[] } | { type: 'ready'; source: string } | { type: 'status'; message: string } | { type: 'end'; message: string } | { type: 'error'; error: string };
    if (msg.type === 'frame') {
      plots?.push(msg.values);
      recording?.frame(undefined, msg.values);
      noteFrame();
    } else if (msg.type === 'ready') setState('server', msg.source);
    else if (msg.type === 'status') setState('server', msg.message);
    else if (msg.type === 'end') setState('ended', msg.message);
    else if (msg.type === 'error') showMessage({ kind: 'error', key: 'err.server', detail: msg.error });
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
  $<HTMLSelectElement>('model').disabled = src === 'server';
  if (src === 'server') watchServerGlove();
  else if (engine) showEngine(engine.where, engine.model);
  const can = hasWebSerial();
  $<HTMLButtonElement>('serial-connect').disabled = !can;
  $('serial-note').hidden = can;
}

/** The text as a .txt file, the run as a CSV the try page and `signglove predict` read back. */
function setupExports(): void {
  $('save-text').addEventListener('click', () => {
    const text = $('text').textContent ?? '';
    download(`signglove-text-${stamp()}.txt`, text + '\n', 'text/plain;charset=utf-8');
  });
  $('save-session').addEventListener('click', () => {
    if (!recording || recording.frames === 0) return setMessage('export.none', 'info');
    download(`signglove-session-${stamp()}.csv`, recording.csv(), 'text/csv;charset=utf-8');
  });
}

function stamp(): string {
  return new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '_');
}

function setupThreshold(): void {
  const input = $<HTMLInputElement>('threshold');
  const show = () => ($('threshold-value').textContent = `${Math.round(threshold() * 100)}%`);
  input.addEventListener('input', show);
  show();
}

async function main(): Promise<void> {
  setupLangToggle($<HTMLButtonElement>('lang'));
  let serverSource: string | null = null;
  const showServerNote = () => {
    // Why the server's glove is greyed out, as text anyone can read (not only a hover tooltip).
    const note = $('server-note');
    note.hidden = serverSource !== null;
    note.textContent = serverSource === null ? t('source.serverNone') : '';
  };
  onLangChange(() => {
    setState(state);
    $('sim-progress').dataset.label = t('sim.signing');
    if (engine) showEngine(engine.where, engine.model);
    showHealth(healthShown);
    showServerNote();
    setSign(($('sign-state').dataset.sign as 'idle') ?? 'idle');
  });
  setState('idle');
  showPrediction(undefined);
  setSign('idle');
  showSource();
  setupThreshold();
  setupExports();
  for (const r of document.querySelectorAll<HTMLInputElement>('input[name="source"]')) {
    r.addEventListener('change', async () => {
      await stop();
      resetView();
      setState('idle');
      showSource();
    });
  }
  // The server's glove is offered only when the server reads one.
  const health = (await (await fetch('/health')).json()) as { source: string | null; model: string };
  serverModel = health.model;
  serverSource = health.source;
  // the server offers a word list when it has a lexicon; the browser path loads it in the background
  // (a GET, not a HEAD: offline, the service worker answers GETs from its copy)
  const words = await fetch('/lexicon/words.txt').catch(() => undefined);
  serverLexicon = words?.ok === true;
  if (words?.ok) void loadDecoder(words);
  const serverRadio = document.querySelector<HTMLInputElement>('input[name="source"][value="server"]')!;
  serverRadio.disabled = !health.source;
  if (health.source) serverRadio.closest('label')!.title = health.source;
  showServerNote();
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
  await Promise.all([
    useEngine(checkedValue('engine') as Where),
    setupModelPicker($<HTMLSelectElement>('model'), (name) => {
      modelName = name;
      void (async () => {
        await stop();
        recognizer?.close();
        recognizer = undefined;
        await useEngine(checkedValue('engine') as Where);
      })();
    }, MODEL),
  ]);
  showHandshapes($('hand-list'), shippedSimulatorParams());
  registerServiceWorker();
  document.body.dataset.ready = 'true';
}

main().catch((err: unknown) => showError(err));
