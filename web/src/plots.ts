/**
 * Scrolling line plots, one small canvas per channel, redrawn at most once per animation frame.
 * Channels differ by line pattern as well as colour (a key beside each name), and each plot is
 * named in text, so nothing depends on telling colours apart.
 */
const COLORS = ['#e4572e', '#c88a00', '#6f8f1f', '#1f8f0e', '#0f8f8c', '#4361ee', '#7209b7', '#d81159'];
const DASHES: number[][] = [[], [9, 4], [3, 4], [12, 3, 3, 3], [], [9, 4], [3, 4], [12, 3, 3, 3]];
const SVG = 'http://www.w3.org/2000/svg';

export class ChannelPlots {
  private readonly buf: Float32Array;
  private count = 0;
  private head = 0;
  private pending = false;
  private readonly canvases: HTMLCanvasElement[] = [];
  private readonly values: HTMLElement[] = [];

  /** `window` frames are kept (200 ≈ 6 s at 33 Hz). */
  constructor(container: HTMLElement, readonly channels: readonly string[], readonly window = 200) {
    this.buf = new Float32Array(window * channels.length);
    container.replaceChildren();
    channels.forEach((ch, i) => {
      const cell = document.createElement('div');
      cell.className = 'plot';
      const label = document.createElement('div');
      label.className = 'plot-label';
      const name = document.createElement('span');
      name.className = 'plot-name';
      const key = document.createElementNS(SVG, 'svg');
      key.setAttribute('viewBox', '0 0 24 6');
      key.setAttribute('aria-hidden', 'true');
      key.classList.add('plot-key');
      const line = document.createElementNS(SVG, 'line');
      for (const [k, v] of Object.entries({ x1: '0', y1: '3', x2: '24', y2: '3', stroke: COLORS[i % COLORS.length]!, 'stroke-width': '2.5', 'stroke-dasharray': DASHES[i % DASHES.length]!.join(' ') || 'none' })) line.setAttribute(k, v);
      key.append(line);
      name.append(key, ch);
      const value = document.createElement('span');
      value.className = 'plot-value';
      value.textContent = '–';
      label.append(name, value);
      const canvas = document.createElement('canvas');
      canvas.dataset.channel = ch;
      // the canvas is a picture of the numbers shown beside the name
      canvas.setAttribute('aria-hidden', 'true');
      cell.append(label, canvas);
      container.append(cell);
      this.canvases.push(canvas);
      this.values.push(value);
    });
  }

  /** One frame, values in `channels` order. */
  push(values: ArrayLike<number>): void {
    const C = this.channels.length;
    for (let c = 0; c < C; c++) this.buf[this.head * C + c] = values[c]!;
    this.head = (this.head + 1) % this.window;
    this.count = Math.min(this.count + 1, this.window);
    if (!this.pending) {
      this.pending = true;
      requestAnimationFrame(() => {
        this.pending = false;
        this.draw();
      });
    }
  }

  clear(): void {
    this.count = 0;
    this.head = 0;
    this.draw();
  }

  private draw(): void {
    const C = this.channels.length;
    const dpr = window.devicePixelRatio || 1;
    this.canvases.forEach((canvas, c) => {
      const w = canvas.clientWidth;
      const h = canvas.clientHeight;
      if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
        canvas.width = Math.round(w * dpr);
        canvas.height = Math.round(h * dpr);
      }
      const g = canvas.getContext('2d');
      if (!g) return;
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.clearRect(0, 0, w, h);
      if (this.count === 0) {
        this.values[c]!.textContent = '–';
        return;
      }
      let lo = Infinity;
      let hi = -Infinity;
      const at = (k: number) => this.buf[((this.head - this.count + k + this.window) % this.window) * C + c]!;
      for (let k = 0; k < this.count; k++) {
        const v = at(k);
        if (Number.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
      // A flat signal still gets a visible band instead of a line glued to one edge.
      const span = Math.max(hi - lo, 4);
      const mid = (hi + lo) / 2;
      lo = mid - span * 0.6;
      hi = mid + span * 0.6;
      g.strokeStyle = COLORS[c % COLORS.length]!;
      g.setLineDash(DASHES[c % DASHES.length]!);
      g.lineWidth = 1.5;
      g.beginPath();
      for (let k = 0; k < this.count; k++) {
        const x = ((k + this.window - this.count) / (this.window - 1)) * w;
        const y = h - ((at(k) - lo) / (hi - lo)) * h;
        if (k === 0) g.moveTo(x, y);
        else g.lineTo(x, y);
      }
      g.stroke();
      const last = at(this.count - 1);
      this.values[c]!.textContent = Number.isFinite(last) ? (Math.abs(last) >= 100 ? last.toFixed(0) : last.toFixed(1)) : '–';
    });
  }
}
