/**
 * What a search shows: the terminal table, CSV, the JSON summary, and tune.html with the charts
 * (objective per trial with the best so far, parameter importance, parallel coordinates).
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import Table from 'cli-table3';
import type { TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from '../eval/atomic-write.js';
import { renderChart } from '../eval/charts.js';
import { CHART_FONT_CSS, CHART_FONT_FAMILY, chartFontFile } from '../eval/font.js';
import { escapeHtml, reportHead } from '../eval/report-html.js';
import { formatValue, type ParamSpec, type ParamValue } from './space.js';
import { rankTrials } from './search.js';
import type { TrialRecord } from './trial.js';

export interface TuneSummary {
  format: 'signglove-tune-result';
  version: 1;
  objective: string;
  /** Notes on how the objective was measured (folds, epochs, pruning). */
  notes: string[];
  trials: number;
  finished: number;
  complete: number;
  pruned: number;
  failed: number;
  best: TrialRecord | null;
  default: TrialRecord | null;
  /** The best configuration as a `signglove train` command. */
  trainCommand: string | null;
  bundle: string | null;
  records: TrialRecord[];
}

const pct = (x: number | null): string => (x === null ? '–' : (x * 100).toFixed(2));

/** Searched parameters that vary in these trials (arch only with several architectures). */
function shownParams(space: readonly ParamSpec[]): ParamSpec[] {
  return space.filter((s) => s.name !== 'arch' || (s.kind === 'choice' && s.values.length > 1));
}

export function formatTuneTable(records: readonly TrialRecord[], space: readonly ParamSpec[], opts: { style?: { head: string[]; border: string[] }; limit?: number } = {}): string {
  const params = shownParams(space);
  const table = new Table({
    head: ['rank', 'trial', 'status', 'objective %', ...params.map((p) => p.name), 'epochs', 'seconds'],
    ...(opts.style ? { style: opts.style } : {}),
  });
  const ranked = rankTrials(records);
  ranked.slice(0, opts.limit ?? ranked.length).forEach((r, i) => {
    table.push([
      String(i + 1), r.id === 0 ? '0 (default)' : String(r.id),
      r.status === 'pruned' ? `pruned@${r.prunedAt}` : r.status,
      pct(r.objective),
      ...params.map((p) => formatValue(r.params[p.name], p.name, r.params.arch)),
      String(r.epochs), r.seconds.toFixed(0),
    ]);
  });
  return table.toString();
}

function csvCell(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function tuneCsv(records: readonly TrialRecord[], space: readonly ParamSpec[]): string {
  const params = space.map((p) => p.name).filter((n) => n !== 'arch');
  const head = ['trial', 'arch', 'status', 'objective', ...params, 'pruned_at', 'epochs', 'seconds', 'folds', 'worker', 'finished_at'];
  const rows = [...records].sort((a, b) => a.id - b.id).map((r) => [
    String(r.id), r.params.arch, r.status, r.objective === null ? '' : String(r.objective),
    ...params.map((n) => (r.params[n] === undefined ? '' : String(r.params[n]))),
    r.prunedAt === undefined ? '' : String(r.prunedAt), String(r.epochs), r.seconds.toFixed(2),
    r.folds.map((f) => `${f.name}:${f.accuracy.toFixed(4)}`).join(' '), r.worker, r.finishedAt,
  ]);
  return [head, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

/** Position of a value on its parameter's axis, 0..1 (log parameters on a log axis). */
export function normalised(p: ParamSpec, v: ParamValue | undefined): number | null {
  if (v === undefined) return null;
  if (p.kind === 'choice') {
    const i = p.values.indexOf(v);
    return p.values.length > 1 ? i / (p.values.length - 1) : 0.5;
  }
  const x = Number(v);
  if (p.kind === 'log') return (Math.log(x) - Math.log(p.min)) / (Math.log(p.max) - Math.log(p.min));
  return (x - p.min) / (p.max - p.min);
}

function ranks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => ({ x, i })).sort((a, b) => a.x - b.x);
  const r = new Array<number>(xs.length);
  for (let j = 0; j < order.length;) {
    let k = j;
    while (k + 1 < order.length && order[k + 1]!.x === order[j]!.x) k++;
    for (let m = j; m <= k; m++) r[order[m]!.i] = (j + k) / 2; // ties share their mean rank
    j = k + 1;
  }
  return r;
}

/** Spearman's rank correlation (0 when either side is constant). */
export function spearman(a: readonly number[], b: readonly number[]): number {
  const ra = ranks(a);
  const rb = ranks(b);
  const n = a.length;
  const ma = ra.reduce((s, x) => s + x, 0) / n;
  const mb = rb.reduce((s, x) => s + x, 0) / n;
  let num = 0, da = 0, db = 0;
  for (let i = 0; i < n; i++) {
    num += (ra[i]! - ma) * (rb[i]! - mb);
    da += (ra[i]! - ma) ** 2;
    db += (rb[i]! - mb) ** 2;
  }
  return da > 0 && db > 0 ? num / Math.sqrt(da * db) : 0;
}

/**
 * Importance of each parameter: Spearman's ρ between its value and the objective over the complete
 * trials (pruned ones stopped at other epochs, so their figures are not comparable). A rough guide
 * with a few dozen trials, and it says so on the chart.
 */
export function parameterImportance(records: readonly TrialRecord[], space: readonly ParamSpec[]): { param: string; rho: number; n: number }[] {
  const complete = records.filter((r) => r.status === 'complete' && r.objective !== null);
  return shownParams(space).map((p) => {
    const pairs = complete.map((r) => [normalised(p, r.params[p.name]), r.objective!] as const).filter((x): x is readonly [number, number] => x[0] !== null);
    return { param: p.name, rho: pairs.length >= 3 ? spearman(pairs.map((x) => x[0]), pairs.map((x) => x[1])) : 0, n: pairs.length };
  });
}

const CONFIG = {
  font: CHART_FONT_CSS, background: 'white', padding: 12,
  title: { fontSize: 15, subtitleFontSize: 12, subtitleColor: '#555', anchor: 'start' as const, offset: 10 },
  axis: { labelFontSize: 12, titleFontSize: 12, titlePadding: 8 },
  legend: { labelFontSize: 12, titleFontSize: 12 },
  view: { stroke: '#ddd' },
};
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Objective of every trial in trial order, coloured by status, with the best complete trial so far as a step line. */
export function objectiveChartSpec(records: readonly TrialRecord[], objective: string): TopLevelSpec {
  const sorted = [...records].sort((a, b) => a.id - b.id);
  let best = -Infinity;
  const bestSoFar: { trial: number; best: number }[] = [];
  for (const r of sorted) {
    if (r.status === 'complete' && r.objective !== null) best = Math.max(best, r.objective);
    if (best > -Infinity) bestSoFar.push({ trial: r.id, best });
  }
  const points = sorted.filter((r) => r.objective !== null).map((r) => ({
    trial: r.id, objective: r.objective, status: r.id === 0 ? 'default' : r.status,
  }));
  const x = { field: 'trial', type: 'quantitative' as const, title: 'trial', axis: { format: 'd', tickMinStep: 1 } };
  return {
    $schema: SCHEMA,
    title: { text: 'Objective per trial', subtitle: [objective, 'line: best complete trial so far; a pruned trial at its last rung'] },
    width: 560,
    height: 280,
    layer: [
      { data: { values: bestSoFar }, mark: { type: 'line', interpolate: 'step-after', color: '#888' }, encoding: { x, y: { field: 'best', type: 'quantitative' } } },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          x,
          y: { field: 'objective', type: 'quantitative', title: 'held-out top-1', scale: { zero: false }, axis: { format: '.0%' } },
          color: {
            field: 'status', type: 'nominal', title: 'trial',
            scale: { domain: ['default', 'complete', 'pruned'], range: ['#e45756', '#4c78a8', '#bab0ac'] },
            legend: { orient: 'bottom' },
          },
          tooltip: [{ field: 'trial' }, { field: 'status' }, { field: 'objective', format: '.4f' }],
        },
      },
    ],
    config: CONFIG,
  } as TopLevelSpec;
}

export function importanceChartSpec(records: readonly TrialRecord[], space: readonly ParamSpec[]): TopLevelSpec {
  const rows = parameterImportance(records, space);
  const n = Math.max(0, ...rows.map((r) => r.n));
  return {
    $schema: SCHEMA,
    title: { text: 'Parameter importance', subtitle: `Spearman's ρ between each setting and the objective over ${n} complete trials (a rough guide with few trials)` },
    data: { values: rows },
    width: 420,
    height: rows.length * 24,
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          y: { field: 'param', type: 'nominal', sort: '-x', title: null },
          x: { field: 'rho', type: 'quantitative', title: 'ρ (positive: higher value, higher objective)', scale: { domain: [-1, 1] } },
          color: { condition: { test: 'datum.rho < 0', value: '#e45756' }, value: '#4c78a8' },
        },
      },
    ],
    config: CONFIG,
  } as TopLevelSpec;
}

export function parallelCoordinatesSpec(records: readonly TrialRecord[], space: readonly ParamSpec[]): TopLevelSpec {
  const params = shownParams(space);
  const rows = records.filter((r) => r.status === 'complete' && r.objective !== null).flatMap((r) => params
    .map((p) => ({ trial: r.id, param: p.name, position: normalised(p, r.params[p.name]), value: formatValue(r.params[p.name]), objective: r.objective }))
    .filter((x) => x.position !== null));
  return {
    $schema: SCHEMA,
    title: { text: 'Parallel coordinates of the complete trials', subtitle: 'each line is a trial, coloured by its objective; each axis spans its searched range (log axes for lr and weight decay)' },
    data: { values: rows },
    width: Math.max(420, params.length * 80),
    height: 280,
    mark: { type: 'line', strokeWidth: 1.5, opacity: 0.8 },
    encoding: {
      x: { field: 'param', type: 'nominal', sort: params.map((p) => p.name), title: null, axis: { labelAngle: 0, grid: true } },
      y: { field: 'position', type: 'quantitative', title: 'low → high within the searched range', scale: { domain: [0, 1] }, axis: { labels: false, ticks: false } },
      color: { field: 'objective', type: 'quantitative', title: 'objective', scale: { scheme: 'viridis' }, legend: { format: '.0%' } },
      detail: { field: 'trial', type: 'nominal' },
      tooltip: [{ field: 'trial' }, { field: 'param' }, { field: 'value' }, { field: 'objective', format: '.4f' }],
    },
    config: CONFIG,
  } as TopLevelSpec;
}

/** Inline SVGs share one page: give each its own id space. */
function scopeSvg(svg: string, prefix: string): string {
  return svg.replace(/\sid="([^"]+)"/g, ` id="${prefix}-$1"`).replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`).replace(/href="#([^"]+)"/g, `href="#${prefix}-$1"`);
}

export function buildTuneHtml(summary: TuneSummary, space: readonly ParamSpec[], charts: { id: string; title: string; svg: string }[], font: { family: string; ttfBase64: string }): string {
  const params = shownParams(space);
  const rows = rankTrials(summary.records).map((r, i) => `<tr data-trial="${r.id}" data-status="${r.status}"><td class="num">${i + 1}</td><td class="num">${r.id}${r.id === 0 ? ' (default)' : ''}</td>`
    + `<td>${escapeHtml(r.status === 'pruned' ? `pruned at epoch ${r.prunedAt}` : r.status)}</td><td class="num">${pct(r.objective)}</td>`
    + params.map((p) => `<td class="num">${escapeHtml(formatValue(r.params[p.name], p.name, r.params.arch))}</td>`).join('')
    + `<td>${escapeHtml(r.folds.map((f) => `${f.name}: ${pct(f.accuracy)}`).join(', ') || r.error || '')}</td><td class="num">${r.epochs}</td><td class="num">${r.seconds.toFixed(0)}</td><td>${escapeHtml(r.worker)}</td></tr>`).join('\n');
  const best = summary.best;
  const def = summary.default;
  const title = 'Hyperparameter search';
  return `${reportHead(title, 'en', font, 'code { background: #f4f6f8; padding: 0.1rem 0.3rem; }')}
<body>
<h1>${escapeHtml(title)}</h1>
<p class="note">Objective: ${escapeHtml(summary.objective)}. ${summary.finished} of ${summary.trials} trials finished: ${summary.complete} complete, ${summary.pruned} pruned, ${summary.failed} failed.</p>
<ul class="note">${summary.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>
<h2>Best configuration</h2>
${best ? `<p id="best">Trial ${best.id}: <strong>${pct(best.objective)}%</strong>${def?.objective != null ? ` against ${pct(def.objective)}% for the default configuration (trial 0) on the same objective` : ''}.</p>
<p><code>${escapeHtml(summary.trainCommand ?? '')}</code></p>${summary.bundle ? `<p class="note">Trained bundle: ${escapeHtml(summary.bundle)}</p>` : ''}` : '<p>No trial completed.</p>'}
${charts.map((c) => `<h2>${escapeHtml(c.title)}</h2>\n<figure id="chart-${c.id}">${scopeSvg(c.svg, c.id)}</figure>`).join('\n')}
<h2>Every trial</h2>
<table id="trials"><thead><tr><th>Rank</th><th>Trial</th><th>Status</th><th>Objective %</th>${params.map((p) => `<th>${escapeHtml(p.name)}</th>`).join('')}<th>Per fold</th><th>Epochs</th><th>Seconds</th><th>Worker</th></tr></thead><tbody>
${rows}
</tbody></table>
<script type="application/json" id="tune-json">${JSON.stringify(summary).replace(/</g, '\\u003c')}</script>
</body>
</html>
`;
}

/** Writes tune.html and the charts (SVG) into `out`; returns the paths. */
export async function writeTuneReport(summary: TuneSummary, space: readonly ParamSpec[], out: string): Promise<string[]> {
  const specs = [
    { id: 'objective', title: 'Objective per trial', spec: objectiveChartSpec(summary.records, summary.objective) },
    { id: 'importance', title: 'Parameter importance', spec: importanceChartSpec(summary.records, space) },
    { id: 'parallel', title: 'Parallel coordinates', spec: parallelCoordinatesSpec(summary.records, space) },
  ];
  const files: string[] = [];
  const charts: { id: string; title: string; svg: string }[] = [];
  for (const c of specs) {
    const { svg } = await renderChart(c.spec);
    const file = path.join(out, `tune-${c.id}.svg`);
    writeFileAtomic(file, svg);
    files.push(file);
    charts.push({ id: c.id, title: c.title, svg });
  }
  const ttfBase64 = readFileSync(chartFontFile()).toString('base64');
  const html = path.join(out, 'tune.html');
  writeFileAtomic(html, buildTuneHtml(summary, space, charts, { family: CHART_FONT_FAMILY, ttfBase64 }));
  files.push(html);
  return files;
}
