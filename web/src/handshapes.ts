/**
 * The 24 handshapes, described from this glove's own recordings: the simulator parameters hold
 * each letter's mean sensor course, and a flex sensor reads about 780 on a straight finger and
 * about 880–900 on a bent one. Each letter gets a line in both languages and a small picture of
 * the five fingers (a straight finger drawn long, a bent one short).
 */
import type { SimulatorParams } from '../../src/stream/simulator/params.js';
import { onLangChange, t, type Key } from './i18n.js';

type FingerState = 'straight' | 'half' | 'bent';

// Flex readings between these two are a finger half bent.
const STRAIGHT_BELOW = 815;
const BENT_ABOVE = 855;

export interface Handshape {
  jamo: string;
  fingers: FingerState[];
}

/** Each letter's five finger states from the mean of its recorded holds (every session, every knot). */
export function handshapes(params: SimulatorParams): Handshape[] {
  const flex = [1, 2, 3, 4, 5].map((k) => params.channels.indexOf(`flex${k}`));
  return params.classes.map((c) => {
    const knots = c.sessions.flatMap((s) => s.knots);
    const fingers = flex.map((ch): FingerState => {
      const mean = knots.reduce((sum, k) => sum + k[ch]!, 0) / Math.max(1, knots.length);
      return mean < STRAIGHT_BELOW ? 'straight' : mean > BENT_ABOVE ? 'bent' : 'half';
    });
    return { jamo: c.jamo, fingers };
  });
}

/** One letter's handshape in words (the page's language). */
export function describe(h: Handshape): string {
  const groups: string[] = [];
  for (const state of ['straight', 'half', 'bent'] as const) {
    const names = h.fingers.flatMap((f, i) => (f === state ? [t(`finger.${i}` as Key)] : []));
    if (names.length) groups.push(`${names.join('·')} ${t(`hand.${state}` as Key)}`);
  }
  return groups.join(t('hand.sep'));
}

const SVG = 'http://www.w3.org/2000/svg';

function picture(h: Handshape): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 50 50');
  svg.setAttribute('aria-hidden', 'true');
  svg.classList.add('hand-pic');
  const palm = document.createElementNS(SVG, 'rect');
  Object.entries({ x: '10', y: '30', width: '32', height: '18', rx: '5' }).forEach(([k, v]) => palm.setAttribute(k, v));
  palm.classList.add('palm');
  svg.append(palm);
  h.fingers.forEach((f, i) => {
    const len = f === 'straight' ? 24 : f === 'half' ? 14 : 6;
    const r = document.createElementNS(SVG, 'rect');
    // the thumb sits lower, to the side
    const x = i === 0 ? 2 : 8 + i * 7.5;
    const base = i === 0 ? 40 : 32;
    Object.entries({ x: String(x), y: String(base - len), width: '6', height: String(len + 2), rx: '3' }).forEach(([k, v]) => r.setAttribute(k, v));
    r.classList.add('finger', f);
    svg.append(r);
  });
  return svg;
}

/** Fills the list with one item per letter; redrawn on a language switch. */
export function showHandshapes(list: HTMLElement, params: SimulatorParams): void {
  const shapes = handshapes(params);
  const draw = () =>
    list.replaceChildren(
      ...shapes.map((h) => {
        const li = document.createElement('li');
        li.dataset.jamo = h.jamo;
        const j = document.createElement('span');
        j.className = 'hand-jamo';
        j.lang = 'ko';
        j.textContent = h.jamo;
        const d = document.createElement('span');
        d.className = 'hand-desc';
        d.textContent = describe(h);
        li.append(picture(h), j, d);
        return li;
      }),
    );
  draw();
  onLangChange(draw);
}
