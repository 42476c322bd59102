/** Try page: a CSV episode (dropped, chosen or a shipped sample) → prediction and top-5. */
import { parseEpisodeCsv } from '../../src/data/parse-episode.js';
import type { Episode } from '../../src/data/types.js';
import { createLiveSession, type LiveEvent } from '../../src/stream/live-session.js';
import { JAMO } from '../../src/jamo.js';
import { FRAME_CHANNELS } from '../../src/stream/frame.js';
import { shippedSimulatorParams } from '../../src/stream/simulator/params.js';
import { simulateLetters } from '../../src/stream/simulator/simulate.js';
import { fetchSample, listSamples } from './api.js';
import type { Engine, Where } from './engine.js';
import { applyI18n, onLangChange, setupLangToggle, t } from './i18n.js';
import { ChannelPlots } from './plots.js';
import { $, checkedValue, chooseEngine, setupModelPicker, showEngine, showPrediction } from './ui.js';
import { showError, showMessage } from './messages.js';
import { showHandshapes } from './handshapes.js';
import { registerServiceWorker } from './session.js';

let engine: Engine | undefined;
let plots: ChannelPlots | undefined;
let last: { text: string; name: string; expected?: string } | undefined;
let run = 0;
let modelName: string | undefined;

async function useEngine(want: Where): Promise<Engine> {
  engine = await chooseEngine(want, modelName);
  return engine;
}

/** Nothing of the previous file stays on screen: result, expected mark, warning, plots, message. */
function resetResult(name: string): void {
  showMessage(undefined);
  showPrediction(undefined);
  $('file-name').textContent = name;
  $('file-name').removeAttribute('data-i18n');
  const exp = $('expected');
  exp.hidden = true;
  exp.textContent = '';
  delete exp.dataset.ok;
  $('multi').hidden = true;
  $('multi-letters').textContent = '';
  $('live-read').hidden = true;
  $('live-text').textContent = '';
  if (plots) plots.clear();
}

/**
 * The recording read as a live stream (the same recogniser as the live page): the letters it
 * holds. One file is meant to be one letter; several mean it is a word signed in one go.
 */
async function liveRead(eng: Engine, ep: Episode): Promise<{ letters: string[]; text: string }> {
  const letters: string[] = [];
  let text = '';
  const on = (e: LiveEvent | { type: string }) => {
    const ev = e as LiveEvent;
    if (ev.type === 'letter') {
      if (ev.replaces) letters.pop();
      letters.push(ev.jamo);
    } else if (ev.type === 'text') text = ev.text;
  };
  const C = ep.channels.length;
  const times = ep.timestampsMs;
  if (eng.predictor) {
    const live = createLiveSession(eng.predictor);
    for (let i = 0; i < ep.length; i++) live.push(ep.data.subarray(i * C, (i + 1) * C), times?.[i]).forEach(on);
    return { letters, text };
  }
  // The server path: the same frames over WebSocket /stream; a ping after them marks the end.
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/stream?${new URLSearchParams({ model: eng.model })}`);
    ws.addEventListener('open', () => {
      for (let s = 0; s < ep.length; s += 1000) {
        const n = Math.min(1000, ep.length - s);
        const frames = Array.from({ length: n }, (_, k) => Array.from(ep.data.subarray((s + k) * C, (s + k + 1) * C)));
        ws.send(JSON.stringify({ type: 'frames', frames, ...(times ? { times: Array.from(times.subarray(s, s + n)) } : {}) }));
      }
      ws.send(JSON.stringify({ type: 'ping' }));
    });
    ws.addEventListener('message', (m) => {
      const msg = JSON.parse(String(m.data)) as { type: string; error?: string };
      if (msg.type === 'pong') {
        ws.close();
        resolve({ letters, text });
      } else if (msg.type === 'error') {
        ws.close();
        reject(new Error(msg.error));
      } else on(msg);
    });
    ws.addEventListener('error', () => reject(new Error('WebSocket /stream failed')));
  });
}

async function recognise(text: string, name: string, expected?: string): Promise<void> {
  last = { text, name, ...(expected ? { expected } : {}) };
  const mine = ++run;
  resetResult(name);
  const eng = engine ?? (await useEngine(checkedValue('engine') as Where));
  let ep;
  try {
    ep = parseEpisodeCsv(text, name, eng.channels);
  } catch (err) {
    showError(err);
    return;
  }
  const C = ep.channels.length;
  // Show the whole episode: the plot window is sized to it.
  plots = new ChannelPlots($('plots'), eng.channels, Math.max(2, ep.length));
  for (let i = 0; i < ep.length; i++) plots.push(ep.data.subarray(i * C, (i + 1) * C));
  try {
    const [p, read] = await Promise.all([eng.predict(ep, 5), liveRead(eng, ep).catch(() => undefined)]);
    if (mine !== run) return;
    showPrediction(p);
    // on a phone the result is below the file controls: bring it into view
    if (window.innerWidth < 860) $('result-title').scrollIntoView({ block: 'start', behavior: 'smooth' });
    const exp = $('expected');
    exp.hidden = !expected;
    if (expected) {
      exp.textContent = `${t('try.expected')}: ${expected} ${p.jamo === expected ? '✓' : '✗'} · ${ep.length} ${t('try.frames')}`;
      exp.dataset.ok = String(p.jamo === expected);
    }
    // Several letters in one file: say so, and offer the live reading of it.
    const signs = read?.letters.filter((l) => l.trim()) ?? [];
    if (read && signs.length >= 2) {
      $('multi-letters').textContent = read.letters.map((l) => (l === ' ' ? '␣' : l)).join(' ');
      $('live-text').textContent = read.text;
      $('multi').hidden = false;
    }
  } catch (err) {
    if (mine !== run) return;
    showPrediction(undefined);
    showError(err);
  }
}

/** The jamo in a recorded episode's file name (episode_<date>_<time>_<jamo>_<n>.csv), if any. */
function jamoFromName(name: string): string | undefined {
  return name.normalize('NFC').split(/[_.]/).find((p) => /^[\u3131-\u3163]$/.test(p));
}

async function readFileInput(f: File): Promise<void> {
  if (f.size > 5_000_000) {
    resetResult(f.name);
    showMessage({ kind: 'error', key: 'err.tooLarge', subject: `${f.name} (${(f.size / 1e6).toFixed(1)} MB)` });
    return;
  }
  await recognise(await f.text(), f.name, jamoFromName(f.name));
}

function setupDrop(): void {
  const drop = $('drop');
  const input = $<HTMLInputElement>('file');
  input.addEventListener('change', () => {
    const f = input.files?.[0];
    if (f) void readFileInput(f);
    input.value = '';
  });
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const f = e.dataTransfer?.files[0];
    if (f) void readFileInput(f);
  });
}

/**
 * One held letter from the built-in simulator, written as a glove CSV, so there is always
 * something to try even where no recorded samples are shipped.
 */
async function simulatedSampleCsv(jamo: string, seed: number): Promise<string> {
  const sim = simulateLetters([jamo], { seed });
  const seg = sim.segments[0]!;
  const cols = ['pitch', 'roll', 'yaw', 'flex1', 'flex2', 'flex3', 'flex4', 'flex5'];
  const idx = cols.map((c) => FRAME_CHANNELS.indexOf(c));
  const lines = [`timestamp_ms,${cols.join(',')}`];
  for (const f of sim.frames.slice(seg.start, seg.end)) lines.push(`${Math.round(f.t)},${idx.map((i) => +f.values[i]!.toFixed(2)).join(',')}`);
  return lines.join('\n') + '\n';
}

async function setupSamples(): Promise<void> {
  const select = $<HTMLSelectElement>('sample');
  const { samples } = await listSamples().catch(() => ({ samples: [] }));
  const recorded = document.createElement('optgroup');
  recorded.dataset.i18nLabel = 'try.recorded';
  for (const s of samples) {
    const o = document.createElement('option');
    o.value = `file:${s.name}`;
    o.textContent = s.jamo ? `${s.jamo} · ${s.name}` : s.name;
    recorded.append(o);
  }
  if (samples.length) select.append(recorded);
  const simulated = document.createElement('optgroup');
  simulated.dataset.i18nLabel = 'try.simulatedGroup';
  for (const j of JAMO) {
    const o = document.createElement('option');
    o.value = `sim:${j}`;
    o.textContent = j;
    simulated.append(o);
  }
  select.append(simulated);
  const label = () => {
    recorded.label = t('try.recorded');
    simulated.label = t('try.simulatedGroup');
  };
  label();
  onLangChange(label);
  let simSeed = 1;
  select.addEventListener('change', async () => {
    const v = select.value;
    try {
      if (v.startsWith('file:')) {
        const s = samples.find((x) => x.name === v.slice(5))!;
        await recognise(await fetchSample(s.name), s.name, s.jamo || undefined);
      } else if (v.startsWith('sim:')) {
        const j = v.slice(4);
        await recognise(await simulatedSampleCsv(j, simSeed++), `${t('try.simulated')} ${j}.csv`, j);
      }
    } catch (err) {
      showError(err);
    }
  });
}

async function main(): Promise<void> {
  setupLangToggle($<HTMLButtonElement>('lang'));
  onLangChange(() => {
    if (engine) showEngine(engine.where, engine.model);
    if (!last) $('file-name').textContent = t('try.none');
  });
  setupDrop();
  $('read-live').addEventListener('click', () => {
    $('live-read').hidden = false;
  });
  for (const r of document.querySelectorAll<HTMLInputElement>('input[name="engine"]')) {
    r.addEventListener('change', async () => {
      await useEngine(checkedValue('engine') as Where);
      if (last) await recognise(last.text, last.name, last.expected);
    });
  }
  applyI18n();
  await Promise.all([
    useEngine(checkedValue('engine') as Where),
    setupSamples(),
    setupModelPicker($<HTMLSelectElement>('model'), (name) => {
      modelName = name;
      void (async () => {
        await useEngine(checkedValue('engine') as Where);
        if (last) await recognise(last.text, last.name, last.expected);
      })();
    }),
  ]);
  showHandshapes($('hand-list'), shippedSimulatorParams());
  registerServiceWorker();
  document.body.dataset.ready = 'true';
}

main().catch((err: unknown) => showError(err));
