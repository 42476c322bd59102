/**
 * The Calibrate page: the wearer's three minutes, in the browser. Prompts every letter k times
 * (plus one held-out hold each) in a shuffled, interleaved order; captures each hold when the hand
 * is still (the same HoldCapture and quality checks as the terminal); adapts the base model in
 * this browser with the same calibration code as `signglove calibrate`; shows before/after on the
 * held-out holds; keeps the personal model in IndexedDB, downloadable as a .safetensors bundle.
 */
import type { Episode } from '../../src/data/types.js';
import type { Predictor } from '../../src/infer/core.js';
import { personalBundle } from '../../src/train/personal-bundle.js';
import { HoldCapture } from '../../src/record/capture.js';
import { checkHold } from '../../src/record/gates.js';
import { promptOrder, type Prompt } from '../../src/record/plan.js';
import { HANDSHAPES } from '../../src/record/handshapes.js';
import type { Jamo } from '../../src/jamo.js';
import { channelIndices, type Frame } from '../../src/stream/frame.js';
import { GloveLineParser } from '../../src/stream/line-parser.js';
import { Resampler } from '../../src/stream/resample.js';
import { PromptedGlove } from '../../src/stream/simulator/prompted.js';
import { createEngine } from './engine.js';
import { applyI18n, currentLang, onLangChange, setupLangToggle, t, type Key } from './i18n.js';
import { connectSerial, hasWebSerial, type SerialConnection } from './serial.js';
import { $, checkedValue } from './ui.js';
import { showError, showMessage } from './messages.js';
import { deletePersonalModel, importBundle, listPersonalModels, PERSONAL_PREFIX, savePersonalModel, type PersonalModel } from './personal-models.js';

const query = new URLSearchParams(location.search);
// ?speed=8 runs the simulator and the countdown faster (demos, tests); ?seed=n another signer.
const SPEED = Math.min(64, Math.max(0.25, Number(query.get('speed')) || 1));
const SEED = Number(query.get('seed')) || 1;

let base: Predictor | undefined;
let stop = false;
let serial: { conn: SerialConnection; next: (cap: HoldCapture, onUpdate: (p: number) => void) => Promise<Captured> } | undefined;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function say(key: Key, extra = ''): void {
  $('cal-status').textContent = t(key) + extra;
}

type Captured = Extract<ReturnType<HoldCapture['push']>, { phase: 'done' }>;

/** The simulated glove, prompted like a person: it moves to the letter and holds it. */
let simGlove: PromptedGlove | undefined;

/** The simulated glove signs `jamo` (at SPEED× real time); resolves with the finished capture. */
async function captureSimulated(jamo: string, cap: HoldCapture, onUpdate: (p: number) => void): Promise<Captured> {
  simGlove ??= new PromptedGlove({ seed: SEED });
  simGlove.prompt(jamo);
  const perTick = Math.max(1, Math.round(SPEED));
  try {
    for (let i = 0; i < 2000; i++) {
      if (stop) throw new Error('stopped');
      const u = cap.push(simGlove.next());
      if (u.phase === 'done') return u;
      onUpdate(u.phase === 'capturing' ? u.frames / cap.episodeFrames : 0);
      if (i % perTick === 0) await sleep(30 / Math.min(1, SPEED));
    }
    throw new Error(t('cal.noHold'));
  } finally {
    simGlove.release();
  }
}

/** A connected glove over Web Serial: frames resampled to the training rate feed the current capture. */
async function connectGlove(): Promise<NonNullable<typeof serial>> {
  const parser = new GloveLineParser();
  const resampler = new Resampler();
  let waiting: { cap: HoldCapture; onUpdate: (p: number) => void; resolve: (c: Captured) => void } | undefined;
  const conn = await connectSerial((line) => {
    const p = parser.parse(line);
    if (p.kind === 'message') $('glove-message').textContent = `# ${p.text}`;
    if (p.kind !== 'frame' || !waiting) return;
    for (const f of resampler.push(p.frame)) {
      const u = waiting.cap.push(f);
      if (u.phase === 'done') {
        const w = waiting;
        waiting = undefined;
        w.resolve(u);
        return;
      }
      waiting.onUpdate(u.phase === 'capturing' ? u.frames / waiting.cap.episodeFrames : 0);
    }
  });
  return { conn, next: (cap, onUpdate) => new Promise((resolve) => (waiting = { cap, onUpdate, resolve })) };
}

function episodeOf(frames: readonly Frame[], jamo: string, label: number, channels: readonly string[], n: number): Episode {
  const pick = channelIndices(channels);
  const C = channels.length;
  const data = new Float32Array(frames.length * C);
  frames.forEach((f, t) => pick.forEach((i, c) => (data[t * C + c] = f.values[i]!)));
  return { file: `browser/${jamo}/${n}.csv`, label, jamo, session: '', channels: [...channels], data, length: frames.length };
}

function showPrompt(p: Prompt | undefined, done: number, total: number): void {
  $('prompt-letter').textContent = p?.jamo ?? '·';
  $('prompt-letter').dataset.jamo = p?.jamo ?? '';
  $('prompt-shape').textContent = p ? HANDSHAPES[p.jamo][currentLang()] : '';
  $('prompt-progress').textContent = `${done} / ${total}`;
  $<HTMLProgressElement>('overall').value = total ? done / total : 0;
}

async function run(): Promise<void> {
  stop = false;
  showMessage(undefined);
  $('result').hidden = true;
  const k = Number($<HTMLSelectElement>('shots').value) || 3;
  const useGlove = checkedValue('source') === 'serial';
  $<HTMLButtonElement>('cal-start').disabled = true;
  $<HTMLButtonElement>('cal-stop').disabled = false;
  try {
    say('cal.loading');
    const engine = await createEngine('browser');
    if (!engine.predictor) throw new Error(t('cal.needsBrowser'));
    base = engine.predictor;
    if (useGlove && !serial) serial = await connectGlove();
    const classes = base.info.classes;
    // k rounds of every letter to calibrate, then one more round held out to measure it
    const prompts = promptOrder({ letters: classes as Jamo[], reps: k + 1, seed: SEED });
    const heldOutRep = k;
    const shots: Episode[] = [];
    const heldOut: Episode[] = [];
    for (let i = 0; i < prompts.length; i++) {
      const p = prompts[i]!;
      showPrompt(p, i, prompts.length);
      for (;;) {
        for (let n = 3; n > 0; n--) {
          say('cal.countdown', ` ${n}`);
          await sleep(1000 / SPEED);
          if (stop) throw new Error('stopped');
        }
        say('cal.hold');
        // the page has counted down; the capture starts on the first still frame once the hand
        // had a moment to get there (device time, so a fast simulator counts as fast)
        const cap = new HoldCapture({ episodeFrames: 80, countdownMs: 800 });
        const meter = $<HTMLProgressElement>('hold-meter');
        const onUpdate = (x: number) => (meter.value = x);
        const got = useGlove ? await serial!.next(cap, onUpdate) : await captureSimulated(p.jamo, cap, onUpdate);
        const refusal = checkHold(got.frames, got.energies, { episodeFrames: cap.episodeFrames });
        if (refusal) {
          showMessage({ key: 'cal.refused', detail: refusal.reason, kind: 'warn' });
          continue;
        }
        showMessage(undefined);
        const ep = episodeOf(got.frames, p.jamo, classes.indexOf(p.jamo), base.info.channels, i);
        (p.rep === heldOutRep ? heldOut : shots).push(ep);
        break;
      }
    }
    showPrompt(undefined, prompts.length, prompts.length);
    say('cal.adapting');
    await sleep(0); // let the page paint "adapting" before the CPU is busy
    const t0 = performance.now();
    const adapted = checkedValue('adapt') === 'server' ? await adaptOnServer(engine.model, shots, heldOut) : await adaptHere(base, engine.model, shots, heldOut);
    const seconds = (performance.now() - t0) / 1000;
    const name = `${engine.model}-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}`;
    const model: PersonalModel = { name, base: engine.model, created: new Date().toISOString(), ...adapted };
    await savePersonalModel(model);
    showResult(model, seconds);
    await refreshList();
    say('cal.done');
  } catch (e) {
    const msg = (e as Error).message;
    if (msg === 'stopped') say('cal.stopped');
    else {
      say('cal.failed');
      showError(e);
    }
  } finally {
    $<HTMLButtonElement>('cal-start').disabled = false;
    $<HTMLButtonElement>('cal-stop').disabled = true;
  }
}

type Adapted = { before: number; after: number; bytes: Uint8Array };

/** Adapts in this browser, with the same calibration code as `signglove calibrate`. */
async function adaptHere(base: Predictor, baseName: string, shots: Episode[], heldOut: Episode[]): Promise<Adapted> {
  const { before, after, bytes } = await personalBundle(base, shots, heldOut, { baseFile: baseName });
  return { before, after, bytes };
}

/** Sends the holds to the server's POST /calibrate; the personal model comes back as a bundle. */
async function adaptOnServer(model: string, shots: Episode[], heldOut: Episode[]): Promise<Adapted> {
  const rows = (e: Episode) => Array.from({ length: e.length }, (_, t) => Array.from(e.data.subarray(t * e.channels.length, (t + 1) * e.channels.length)));
  const body = { model, channels: shots[0]!.channels, shots: shots.map((e) => ({ jamo: e.jamo, rows: rows(e) })), held_out: heldOut.map((e) => ({ jamo: e.jamo, rows: rows(e) })) };
  const r = await fetch('/calibrate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`POST /calibrate: ${((await r.json().catch(() => ({}))) as { error?: string }).error ?? `HTTP ${r.status}`}`);
  return { before: Number(r.headers.get('x-accuracy-before')), after: Number(r.headers.get('x-accuracy-after')), bytes: new Uint8Array(await r.arrayBuffer()) };
}

const pct = (x: number | undefined) => (x === undefined ? '–' : `${(x * 100).toFixed(0)}%`);

function showResult(m: PersonalModel, seconds: number): void {
  $('result').hidden = false;
  $('before').textContent = pct(m.before);
  $('after').textContent = pct(m.after);
  $('adapt-seconds').textContent = seconds.toFixed(1);
  $('result-name').textContent = m.name;
  $<HTMLAnchorElement>('use-live').href = `/?model=${encodeURIComponent(PERSONAL_PREFIX + m.name)}`;
}

function download(m: PersonalModel): void {
  const url = URL.createObjectURL(new Blob([m.bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${m.name}.safetensors`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function refreshList(): Promise<void> {
  const list = await listPersonalModels();
  const ul = $('personal-list');
  ul.replaceChildren(
    ...list.map((m) => {
      const li = document.createElement('li');
      li.dataset.name = m.name;
      const label = document.createElement('span');
      label.textContent = `${m.name} (${t('cal.base')}: ${m.base}${m.after !== undefined ? `, ${pct(m.before)} → ${pct(m.after)}` : ''})`;
      const use = document.createElement('a');
      use.href = `/?model=${encodeURIComponent(PERSONAL_PREFIX + m.name)}`;
      use.textContent = t('cal.useLive');
      const dl = document.createElement('button');
      dl.type = 'button';
      dl.textContent = t('cal.download');
      dl.addEventListener('click', () => download(m));
      const rm = document.createElement('button');
      rm.type = 'button';
      rm.textContent = t('cal.delete');
      rm.addEventListener('click', async () => {
        await deletePersonalModel(m.name);
        await refreshList();
      });
      li.append(label, ' ', use, ' ', dl, ' ', rm);
      return li;
    }),
  );
  $('personal-empty').hidden = list.length > 0;
}

function init(): void {
  setupLangToggle($<HTMLButtonElement>('lang'));
  onLangChange(() => {
    void refreshList();
    const jamo = $('prompt-letter').dataset.jamo as Jamo | undefined;
    $('prompt-shape').textContent = jamo ? HANDSHAPES[jamo][currentLang()] : '';
  });
  if (!hasWebSerial()) {
    $<HTMLInputElement>('source-serial').disabled = true;
    $('serial-note').hidden = false;
  }
  $('cal-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void run();
  });
  $('cal-stop').addEventListener('click', () => {
    stop = true;
  });
  $('upload').addEventListener('change', async () => {
    const file = $<HTMLInputElement>('upload').files?.[0];
    if (!file) return;
    try {
      await savePersonalModel(await importBundle(file));
      showMessage(undefined);
      await refreshList();
    } catch (e) {
      showMessage({ key: 'cal.badUpload', subject: file.name, detail: (e as Error).message, kind: 'error' });
    }
  });
  showPrompt(undefined, 0, 0);
  say('cal.ready');
  void refreshList();
  applyI18n();
  document.body.dataset.ready = 'true';
}

init();
