/**
 * Outputs of the generalization benchmark: generalization.json (every figure, per seed), a
 * self-contained generalization.html (tables + the shots chart inline), the shots chart as SVG/PNG
 * for the README, and the terminal table. All files are written atomically.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import type { TopLevelSpec } from 'vega-lite';
import Table from 'cli-table3';
import { writeFileAtomic } from './atomic-write.js';
import { renderChart } from './charts.js';
import { CHART_FONT_CSS, CHART_FONT_FAMILY, chartFontFile } from './font.js';
import { escapeHtml, reportHead } from './report-html.js';
import type { GeneralizationResult, ProtocolName, ProtocolRow, Spread } from './generalization.js';

/** Short form of where the statistics come from, for the terminal. */
export const STATS_SHORT: Record<ProtocolName, string> = {
  'random': 'training part',
  'posture-train-stats': 'training folders',
  'posture-heldout-stats': 'held-out folder (unlabelled)',
  'zero-shot-warmup': 'warm-up (unlabelled)',
  'zero-shot-all': 'all new-day frames (unlabelled)',
  'zero-shot-self-trained': 'all new-day frames, self-trained (unlabelled, transductive)',
  'calibrated-strict': 'shots only',
  'calibrated-random': 'shots only',
};

const pct = (x: number) => `${(x * 100).toFixed(1)}`;

/** "93.1 ± 1.2 (91.8–94.4)" in percent; without spread for one seed. */
export function formatSpread(s: Spread, asPercent = true, n = 2): string {
  const f = asPercent ? pct : (x: number) => x.toFixed(3);
  if (n <= 1 || (s.min === s.max && s.std === 0)) return f(s.mean);
  return `${f(s.mean)} ± ${f(s.std)} (${f(s.min)}–${f(s.max)})`;
}

function direction(r: ProtocolRow): string {
  return r.train === r.test ? r.train : `${r.train} → ${r.test}`;
}

/** Shorter day label: signglove-2025-10-01 → 2025-10-01. */
function shortDay(d: string): string {
  return d.replace(/^signglove-/, '');
}

/** Seeds each model ran (a checkpoint of a stopped run may hold fewer for some models). */
export function seedsPerModel(result: GeneralizationResult): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of result.rows) m.set(r.model, Math.max(m.get(r.model) ?? 0, r.perSeed.length));
  return m;
}

function seedsText(result: GeneralizationResult): string {
  const m = seedsPerModel(result);
  const counts = new Set(m.values());
  if (counts.size <= 1) {
    const n = [...counts][0] ?? result.seeds.length;
    return `${n} seed${n === 1 ? '' : 's'} (${result.seeds.slice(0, n).join(', ')})`;
  }
  return [...m].map(([model, n]) => `${model}: ${n} seed${n === 1 ? '' : 's'}`).join(', ');
}

export function formatGeneralizationTable(result: GeneralizationResult, opts: { style?: { head: string[]; border: string[] } } = {}): string {
  const table = new Table({
    head: ['protocol', 'model', 'data', 'k', 'top-1 %', 'top-5 %', 'ECE', 'calib. s', 'statistics from'],
    ...(opts.style ? { style: opts.style } : {}),
  });
  for (const r of result.rows) {
    const n = r.perSeed.length;
    table.push([
      r.protocol, r.model,
      r.train === r.test ? shortDay(r.train) : `${shortDay(r.train)} → ${shortDay(r.test)}`,
      r.k ?? '',
      formatSpread(r.summary.top1, true, n), formatSpread(r.summary.top5, true, n), formatSpread(r.summary.ece, false, n),
      r.summary.calibrateSeconds ? r.summary.calibrateSeconds.mean.toFixed(1) : '',
      STATS_SHORT[r.protocol],
    ]);
  }
  return `${table.toString()}\n${seedsText(result)}: mean ± std (min–max) over seeds; ECE 15 bins; k = calibration shots per letter${result.complete === false ? '\nPARTIAL: a checkpoint of a run that did not finish' : ''}`;
}

/** Points of the shots chart: k = 0 is zero-shot with warm-up statistics, then each calibrated k. */
export function shotsChartPoints(result: GeneralizationResult): { model: string; direction: string; shots: string; k: number; top1: number; min: number; max: number }[] {
  const out: ReturnType<typeof shotsChartPoints> = [];
  for (const r of result.rows) {
    if (r.protocol !== 'calibrated-strict' && r.protocol !== 'calibrated-random') continue;
    const shots = r.protocol === 'calibrated-strict' ? 'strict (folder 3)' : 'random (any folder)';
    const dir = `${shortDay(r.train)} → ${shortDay(r.test)}`;
    if (!out.some((p) => p.model === r.model && p.direction === dir && p.shots === shots && p.k === 0)) {
      const z = result.rows.find((x) => x.protocol === 'zero-shot-warmup' && x.model === r.model && x.train === r.train && x.test === r.test);
      if (z) out.push({ model: r.model, direction: dir, shots, k: 0, top1: z.summary.top1.mean, min: z.summary.top1.min, max: z.summary.top1.max });
    }
    out.push({ model: r.model, direction: dir, shots, k: r.k!, top1: r.summary.top1.mean, min: r.summary.top1.min, max: r.summary.top1.max });
  }
  return out.sort((a, b) => a.direction.localeCompare(b.direction) || a.model.localeCompare(b.model) || a.shots.localeCompare(b.shots) || a.k - b.k);
}

/** Accuracy against calibration shots per letter, one line per model (colour), strict vs random shots (dash), one panel per direction. */
export function shotsChartSpec(result: GeneralizationResult): TopLevelSpec {
  const points = shotsChartPoints(result);
  const ks = [0, ...result.shots];
  const x = { field: 'k', type: 'quantitative' as const, title: 'shots per letter (0 = zero-shot)', scale: { domain: [0, Math.max(...ks)] }, axis: { values: ks, format: 'd' } };
  const y = { field: 'top1', type: 'quantitative' as const, title: 'top-1 accuracy on the new day', scale: { domain: [0, 1] }, axis: { format: '.0%' } };
  // four to a row: eight models in one row are wider than the two panels
  const color = { field: 'model', type: 'nominal' as const, title: 'model', legend: { orient: 'bottom' as const, columns: 4 } };
  // the legend cannot draw dashes in the PNG renderer: the subtitle says which is which
  const dash = { field: 'shots', type: 'nominal' as const, scale: { domain: ['random (any folder)', 'strict (folder 3)'], range: [[1, 0], [6, 4]] }, legend: null };
  const n = Math.max(...seedsPerModel(result).values(), 0);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Cross-day accuracy against calibration shots',
      // short lines: the renderer sizes the image by its estimate of the longest line's width, which
      // left half the PNG empty beside the two panels
      subtitle: [
        `mean over ${seedsText(result)}${n > 1 ? ', bars min–max' : ''}`,
        'k = 0: zero-shot, warm-up statistics; k ≥ 1: statistics from the shots only',
        'solid: random shots (any folder, tested on the rest)',
        'dashed: strict shots (folder 3 only, tested on folders 1, 2, 4, 5)',
      ],
    },
    data: { values: points },
    facet: { column: { field: 'direction', type: 'nominal', title: 'trained on → tested on' } },
    spec: {
      width: 300,
      height: 240,
      layer: [
        { mark: { type: 'line', point: true }, encoding: { x, y, color, strokeDash: dash } },
        { mark: { type: 'rule' }, encoding: { x, y: { field: 'min', type: 'quantitative' }, y2: { field: 'max' }, color } },
      ],
    },
    config: {
      font: CHART_FONT_CSS,
      background: 'white',
      padding: 12,
      title: { fontSize: 15, subtitleFontSize: 12, subtitleColor: '#555', anchor: 'start', offset: 10 },
      axis: { labelFontSize: 12, titleFontSize: 12, titlePadding: 8 },
      legend: { labelFontSize: 12, titleFontSize: 12 },
      view: { stroke: '#ddd' },
    },
  } as TopLevelSpec;
}

function cell(v: number, text: string): string {
  return `<td class="num" data-value="${String(v)}">${escapeHtml(text)}</td>`;
}

export function buildGeneralizationHtml(result: GeneralizationResult, chartSvg: string, font: { family: string; ttfBase64: string }): string {
  const n = Math.max(...seedsPerModel(result).values(), 0);
  const protoRows = (Object.keys(result.statsSources) as ProtocolName[])
    .map((p) => `<tr><th>${escapeHtml(p)}</th><td>${escapeHtml(result.statsSources[p])}</td></tr>`).join('\n');
  const rows = result.rows.map((r) => {
    const s = r.summary;
    const n = r.perSeed.length;
    return `<tr data-protocol="${escapeHtml(r.protocol)}"><td>${escapeHtml(r.protocol)}</td><td>${escapeHtml(r.model)}</td><td>${escapeHtml(direction(r))}</td>`
      + `<td class="num">${r.k ?? ''}</td>`
      + cell(s.top1.mean, formatSpread(s.top1, true, n)) + cell(s.top5.mean, formatSpread(s.top5, true, n)) + cell(s.ece.mean, formatSpread(s.ece, false, n))
      + (s.calibrateSeconds ? cell(s.calibrateSeconds.mean, s.calibrateSeconds.mean.toFixed(1)) : '<td></td>')
      + `<td>${escapeHtml(r.stats)}</td></tr>`;
  }).join('\n');
  const seedRows = result.rows.flatMap((r) => r.perSeed.map((s) => `<tr><td>${escapeHtml(r.protocol)}</td><td>${escapeHtml(r.model)}</td><td>${escapeHtml(direction(r))}</td>`
    + `<td class="num">${r.k ?? ''}</td><td class="num">${s.seed}</td>${cell(s.top1, pct(s.top1))}${cell(s.top5, pct(s.top5))}${cell(s.ece, s.ece.toFixed(3))}`
    + `<td class="num">${s.n}</td><td class="num">${s.statsEpisodes ?? ''}</td><td class="num">${s.calibrateSeconds?.toFixed(1) ?? ''}</td>`
    + `<td>${s.folds ? escapeHtml(Object.entries(s.folds).map(([f, v]) => `${f}: ${pct(v)}`).join(', ')) : ''}</td></tr>`)).join('\n');
  const scoped = chartSvg.replace(/\sid="([^"]+)"/g, ' id="shots-$1"').replace(/url\(#([^)]+)\)/g, 'url(#shots-$1)').replace(/href="#([^"]+)"/g, 'href="#shots-$1"');
  const title = 'Generalization benchmark: postures, days and calibration shots';
  return `${reportHead(title, 'en', font)}
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p class="note">Days: ${result.days.map((d) => `${escapeHtml(d.name)} (${d.episodes} episodes)`).join(', ')}. Models: ${escapeHtml(result.models.join(', '))}.
Seeds: ${escapeHtml(seedsText(result))}${n > 1 ? ' — figures are mean ± standard deviation (min–max) over seeds' : ' — one seed, no spread'}.
${result.complete === false ? '<strong>Partial: a checkpoint of a run that did not finish (see the notes).</strong>' : ''}
${result.quick ? `Quick run: networks at most ${result.epochs} epochs, calibration fine-tuning 10 epochs.` : `Networks: ${result.epochs ?? 'up to 100'} epochs with early stopping.`}
Engine: ${escapeHtml(result.engine)}. Created ${escapeHtml(result.createdAt)} in ${(result.seconds / 60).toFixed(1)} min.</p>
<h2>Where each protocol's normalisation statistics come from</h2>
<table id="stats-sources"><tbody>
${protoRows}
</tbody></table>
<ul class="note">${result.notes.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul>
<h2>Accuracy against calibration shots</h2>
<figure id="chart-shots" aria-label="accuracy against calibration shots">${scoped}</figure>
<h2>Results (top-1 and top-5 in %, ECE 15 bins)</h2>
<table id="summary"><thead><tr><th>Protocol</th><th>Model</th><th>Data</th><th>k</th><th>Top-1</th><th>Top-5</th><th>ECE</th><th>Calibration s</th><th>Statistics from</th></tr></thead><tbody>
${rows}
</tbody></table>
<h2>Per seed</h2>
<table id="per-seed"><thead><tr><th>Protocol</th><th>Model</th><th>Data</th><th>k</th><th>Seed</th><th>Top-1</th><th>Top-5</th><th>ECE</th><th>Tested</th><th>Stats episodes</th><th>Calibration s</th><th>Per held-out folder</th></tr></thead><tbody>
${seedRows}
</tbody></table>
</main>
<script type="application/json" id="generalization-json">${JSON.stringify(result).replace(/</g, '\\u003c')}</script>
</body>
</html>
`;
}

/** Writes generalization.json, generalization.html and generalization-shots.svg/.png into outDir; returns the paths. */
export async function writeGeneralizationOutputs(result: GeneralizationResult, outDir: string): Promise<string[]> {
  const files: string[] = [];
  const json = path.join(outDir, 'generalization.json');
  writeFileAtomic(json, `${JSON.stringify(result, null, 2)}\n`);
  files.push(json);
  const { svg, png } = await renderChart(shotsChartSpec(result));
  const svgFile = path.join(outDir, 'generalization-shots.svg');
  const pngFile = path.join(outDir, 'generalization-shots.png');
  writeFileAtomic(svgFile, svg);
  writeFileAtomic(pngFile, png);
  files.push(svgFile, pngFile);
  const ttfBase64 = readFileSync(chartFontFile()).toString('base64');
  const html = path.join(outDir, 'generalization.html');
  writeFileAtomic(html, buildGeneralizationHtml(result, svg, { family: CHART_FONT_FAMILY, ttfBase64 }));
  files.push(html);
  return files;
}
