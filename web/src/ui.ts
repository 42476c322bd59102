/** Page pieces both pages share: the prediction panel, the message line, the engine note. */
import type { ClassScore } from '../../src/infer/types.js';
import { onLangChange, t, type Key } from './i18n.js';
import { listPersonalModels, PERSONAL_PREFIX } from './personal-models.js';
import { createEngine, models, type Engine, type Where } from './engine.js';
import { showError, showMessage } from './messages.js';

export function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page is missing #${id}`);
  return el as T;
}

// Tiny probabilities read as "<1%" rather than a misleading 0%.
const pct = (p: number) => (p < 0.005 ? '<1%' : `${(p * 100).toFixed(p >= 0.995 || p < 0.1 ? 0 : 1)}%`);

/**
 * The big letter, its confidence, and the top-5 with bars. `threshold`: the confidence a letter
 * needs; a guess below it is shown greyed (data-sure="false").
 */
export function showPrediction(p: { jamo: string; confidence: number; topK: ClassScore[] } | undefined, threshold = 0): void {
  const big = $('current');
  big.textContent = p ? p.jamo : '·';
  big.dataset.jamo = p?.jamo ?? '';
  big.dataset.sure = String(p ? p.confidence >= threshold : false);
  $('conf-text').textContent = p ? pct(p.confidence) : '–';
  $('conf-fill').style.width = p ? `${Math.round(p.confidence * 100)}%` : '0';
  const list = $('top5');
  list.replaceChildren(
    ...(p?.topK ?? []).slice(0, 5).map((s) => {
      const li = document.createElement('li');
      li.dataset.jamo = s.jamo;
      const j = document.createElement('span');
      j.className = 'j';
      j.textContent = s.jamo;
      const bar = document.createElement('span');
      bar.className = 'bar';
      const fill = document.createElement('span');
      fill.style.width = `${Math.max(1, Math.round(s.confidence * 100))}%`;
      bar.append(fill);
      const v = document.createElement('span');
      v.className = 'v';
      v.textContent = pct(s.confidence);
      li.append(j, bar, v);
      return li;
    }),
  );
}

/** A message a user can act on, by its key (errors stay until the next action; see messages.ts for thrown errors). */
export function setMessage(key: Key | undefined, kind: 'error' | 'info' | 'warn' = 'error'): void {
  showMessage(key ? { key, kind } : undefined);
}

/** Percent as the pages write it. */
export { pct };

/**
 * The model picker: every model the server lists (name · architecture · test accuracy), the
 * default first selected. `onPick` runs when the user chooses another.
 */
export async function setupModelPicker(select: HTMLSelectElement, onPick: (name: string) => void, initial?: string): Promise<void> {
  const list = await models();
  // personal models calibrated in this browser (IndexedDB may be unavailable: then none)
  const personal = await listPersonalModels().catch(() => []);
  const label = () => {
    select.replaceChildren(
      ...list.models.map((m) => {
        const o = document.createElement('option');
        o.value = m.name;
        // short enough for a phone: name, test accuracy, whether it is the default (the architecture in the tooltip)
        const acc = m.test_accuracy !== undefined ? ` · ${(m.test_accuracy * 100).toFixed(1)}%` : '';
        o.textContent = `${m.name}${acc}${m.default ? ` · ${t('model.default')}` : ''}`;
        o.title = `${m.arch}${m.test_accuracy !== undefined ? ` · ${t('model.accuracy')} ${(m.test_accuracy * 100).toFixed(1)}%` : ''}`;
        return o;
      }),
      ...personal.map((m) => {
        const o = document.createElement('option');
        o.value = PERSONAL_PREFIX + m.name;
        o.textContent = `${m.name} · ${t('model.personal')}`;
        o.title = `${t('cal.base')}: ${m.base}`;
        return o;
      }),
    );
    select.value = current;
  };
  const known = (n: string | undefined) => n !== undefined && (list.models.some((m) => m.name === n) || personal.some((m) => PERSONAL_PREFIX + m.name === n));
  let current = known(initial) ? initial! : list.default;
  label();
  onLangChange(label);
  select.addEventListener('change', () => {
    current = select.value;
    onPick(current);
  });
}

/** "The model runs in this browser (gru)" — always visible, so users know which path answered. */
/**
 * The engine on the wanted path, shown in the engine note. When the browser path fails (e.g. the
 * bundle did not load) the error is shown and the server answers.
 */
export async function chooseEngine(want: Where, model: string | undefined): Promise<Engine> {
  showEngine('loading');
  let engine: Engine;
  try {
    engine = await createEngine(want, model);
  } catch (err) {
    showError(err);
    engine = await createEngine('server', model);
  }
  showEngine(engine.where, engine.model, want === 'browser' && engine.where === 'server');
  return engine;
}

export function showEngine(where: Where | 'loading', model?: string, fellBack = false): void {
  const el = $('engine-note');
  el.dataset.where = where;
  const base = where === 'loading' ? t('engine.loading') : where === 'browser' ? t('engine.usingBrowser') : t('engine.usingServer');
  el.textContent = `${base}${model ? ` · ${t('model')}: ${model}` : ''}${fellBack ? ` — ${t('engine.noBundle')}` : ''}`;
}

export function checkedValue(name: string): string {
  return document.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value ?? '';
}
