/** Page pieces both pages share: the prediction panel, the message line, the engine note. */
import type { ClassScore } from '../../src/infer/types.js';
import { t } from './i18n.js';
import type { Where } from './engine.js';

export function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page is missing #${id}`);
  return el as T;
}

// Tiny probabilities read as "<1%" rather than a misleading 0%.
const pct = (p: number) => (p < 0.005 ? '<1%' : `${(p * 100).toFixed(p >= 0.995 || p < 0.1 ? 0 : 1)}%`);

/** The big letter, its confidence, and the top-5 with bars. */
export function showPrediction(p: { jamo: string; confidence: number; topK: ClassScore[] } | undefined): void {
  const big = $('current');
  big.textContent = p ? p.jamo : '·';
  big.dataset.jamo = p?.jamo ?? '';
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

/** A message a user can act on (errors stay until the next action). */
export function setMessage(text: string | undefined, kind: 'error' | 'info' = 'error'): void {
  const el = $('message');
  el.hidden = !text;
  el.textContent = text ?? '';
  el.dataset.kind = kind;
}

/** "The model runs in this browser (gru)" — always visible, so users know which path answered. */
export function showEngine(where: Where | 'loading', model?: string, fellBack = false): void {
  const el = $('engine-note');
  el.dataset.where = where;
  const base = where === 'loading' ? t('engine.loading') : where === 'browser' ? t('engine.usingBrowser') : t('engine.usingServer');
  el.textContent = `${base}${model ? ` · ${t('model')}: ${model}` : ''}${fellBack ? ` — ${t('engine.noBundle')}` : ''}`;
}

export function checkedValue(name: string): string {
  return document.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value ?? '';
}
