/**
 * Errors as a user reads them: one sentence in the page's language naming the problem, with the
 * original (English) detail kept beside it where it says more (a CSV's row and reason).
 * Re-rendered when the language changes.
 */
import { currentLang, onLangChange, stringIn as t2, t, type Key } from './i18n.js';

export interface UserMessage {
  /** The sentence in the UI's language (a key, or text already in both languages). */
  key?: Key;
  text?: { ko: string; en: string };
  /** Named things quoted after the sentence, as the user typed them (file names, characters). */
  subject?: string;
  /** The technical detail, in English. */
  detail?: string;
  kind: 'error' | 'info' | 'warn';
}

/** The one message line of a page. */
let shown: UserMessage | undefined;
let wired = false;

function render(): void {
  const el = document.getElementById('message');
  if (!el) return;
  el.hidden = !shown;
  el.replaceChildren();
  if (!shown) return;
  el.dataset.kind = shown.kind;
  const lang = currentLang();
  const main = shown.key ? t(shown.key) : (shown.text?.[lang] ?? '');
  const line = document.createElement('span');
  line.textContent = shown.subject ? `${shown.subject}: ${main}` : main;
  el.append(line);
  if (shown.detail && shown.detail !== main) {
    const d = document.createElement('span');
    d.className = 'detail';
    d.lang = 'en';
    d.textContent = shown.detail;
    el.append(d);
  }
}

export function showMessage(m: UserMessage | undefined): void {
  if (!wired) {
    wired = true;
    onLangChange(render);
  }
  shown = m;
  render();
}

/** Any thrown error as a user message: known kinds get their own sentence, the rest a general one with the detail. */
export function errorMessage(err: unknown): UserMessage {
  const e = err instanceof Error ? err : new Error(String(err));
  if (e.name === 'UnspellableTextError') {
    const x = e as Error & { text?: string; unspellable?: string[] };
    return {
      kind: 'error',
      text: { ko: `${t2('ko', 'err.spell')}: ${(x.unspellable ?? []).map((c) => `'${c}'`).join(', ')}. ${t2('ko', 'err.spellHint')}`, en: `${t2('en', 'err.spell')}: ${(x.unspellable ?? []).map((c) => `'${c}'`).join(', ')}. ${t2('en', 'err.spellHint')}` },
      subject: `'${x.text ?? ''}'`,
    };
  }
  if (e.name === 'EpisodeParseError') {
    const p = (e as Error & { problem?: { file: string; row?: number; reason: string } }).problem;
    if (p) {
      const row = (lang: 'ko' | 'en') => (p.row === undefined ? '' : lang === 'ko' ? ` (${p.row}${t2('ko', 'err.row')})` : ` (${t2('en', 'err.row')} ${p.row})`);
      return { kind: 'error', subject: p.file, text: { ko: t2('ko', 'err.csv') + row('ko'), en: t2('en', 'err.csv') + row('en') }, detail: p.reason };
    }
  }
  // fetch() to a server that is gone
  if (e.name === 'TypeError' && /fetch|network/i.test(e.message)) return { kind: 'error', key: 'err.network', detail: e.message };
  if (e.name === 'ServerError') return { kind: 'error', key: 'err.server', detail: e.message };
  return { kind: 'error', key: 'err.other', detail: e.message };
}

export function showError(err: unknown): void {
  showMessage(errorMessage(err));
}
