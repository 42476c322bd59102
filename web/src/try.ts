/** Try page: a CSV episode (dropped, chosen or a shipped sample) → prediction and top-5. */
import { parseEpisodeCsv } from '../../src/data/parse-episode.js';
import { JAMO } from '../../src/jamo.js';
import { FRAME_CHANNELS } from '../../src/stream/frame.js';
import { validateParams } from '../../src/stream/simulator/params.js';
import { simulateLetters } from '../../src/stream/simulator/simulate.js';
import { fetchSample, listSamples } from './api.js';
import { createEngine, type Engine, type Where } from './engine.js';
import { applyI18n, onLangChange, setupLangToggle, t } from './i18n.js';
import { ChannelPlots } from './plots.js';
import { $, checkedValue, setMessage, showEngine, showPrediction } from './ui.js';

let engine: Engine | undefined;
let plots: ChannelPlots | undefined;
let last: { text: string; name: string; expected?: string } | undefined;
let run = 0;

async function useEngine(want: Where): Promise<Engine> {
  showEngine('loading');
  try {
    engine = await createEngine(want);
  } catch (err) {
    // The browser path failed (e.g. the bundle did not load): say so and answer from the server.
    setMessage(`${(err as Error).message}`);
    engine = await createEngine('server');
  }
  showEngine(engine.where, engine.model, want === 'browser' && engine.where === 'server');
  return engine;
}

async function recognise(text: string, name: string, expected?: string): Promise<void> {
  last = { text, name, ...(expected ? { expected } : {}) };
  const mine = ++run;
  setMessage(undefined);
  $('file-name').textContent = name;
  $('file-name').removeAttribute('data-i18n');
  const eng = engine ?? (await useEngine(checkedValue('engine') as Where));
  let ep;
  try {
    ep = parseEpisodeCsv(text, name, eng.channels);
  } catch (err) {
    showPrediction(undefined);
    setMessage((err as Error).message);
    return;
  }
  const C = ep.channels.length;
  // Show the whole episode: the plot window is sized to it.
  plots = new ChannelPlots($('plots'), eng.channels, Math.max(2, ep.length));
  for (let i = 0; i < ep.length; i++) plots.push(ep.data.subarray(i * C, (i + 1) * C));
  try {
    const p = await eng.predict(ep, 5);
    if (mine !== run) return;
    showPrediction(p);
    const exp = $('expected');
    exp.hidden = !expected;
    if (expected) {
      exp.textContent = `${t('try.expected')}: ${expected} ${p.jamo === expected ? '✓' : '✗'} · ${ep.length} ${t('try.frames')}`;
      exp.dataset.ok = String(p.jamo === expected);
    }
  } catch (err) {
    showPrediction(undefined);
    setMessage((err as Error).message);
  }
}

/** The jamo in a recorded episode's file name (episode_<date>_<time>_<jamo>_<n>.csv), if any. */
function jamoFromName(name: string): string | undefined {
  return name.normalize('NFC').split(/[_.]/).find((p) => /^[\u3131-\u3163]$/.test(p));
}

async function readFileInput(f: File): Promise<void> {
  if (f.size > 5_000_000) {
    setMessage(`${f.name}: ${(f.size / 1e6).toFixed(1)} MB — too large for one episode`);
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
  const res = await fetch('/simulator/params.json');
  if (!res.ok) throw new Error(`simulator parameters: HTTP ${res.status}`);
  const params = validateParams(await res.json(), '/simulator/params.json');
  const sim = simulateLetters([jamo], { params, seed });
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
      setMessage((err as Error).message);
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
  for (const r of document.querySelectorAll<HTMLInputElement>('input[name="engine"]')) {
    r.addEventListener('change', async () => {
      await useEngine(checkedValue('engine') as Where);
      if (last) await recognise(last.text, last.name, last.expected);
    });
  }
  applyI18n();
  await Promise.all([useEngine(checkedValue('engine') as Where), setupSamples()]);
  document.body.dataset.ready = 'true';
}

main().catch((err: unknown) => setMessage(String((err as Error).message ?? err)));
