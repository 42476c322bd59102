/**
 * The self-contained HTML report: summary, per-class table, confused pairs, wrong samples and the
 * charts as inline SVG, with the chart font embedded so Hangul renders without any installed Korean
 * font. Every number is formatted from the same object that is written as metrics.json, and the
 * exact value is kept in a data-value attribute (and the whole object in a JSON script block).
 */
import type { EvaluationReportJson } from './report-types.js';

export interface HtmlChart {
  /** File stem, e.g. confusion_matrix. */
  name: string;
  title: string;
  svg: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Percent with one decimal, e.g. 0.8932 → "89.3%"; "–" for null. */
export function formatPercent(x: number | null): string {
  return x === null ? '–' : `${(x * 100).toFixed(1)}%`;
}

/** Three decimals for ratios shown as numbers (F1, ECE); "–" for null. */
export function formatRatio(x: number | null): string {
  return x === null ? '–' : x.toFixed(3);
}

/** A table cell carrying the exact value next to the displayed text. */
function cell(value: number | null, text: string, key?: string): string {
  const attrs = `${key ? ` data-key="${key}"` : ''} data-value="${value === null ? 'null' : String(value)}"`;
  return `<td class="num"${attrs}>${escapeHtml(text)}</td>`;
}

/** Makes ids inside one inline SVG unique in the page (several charts may use the same clip ids). */
function scopeSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/\sid="([^"]+)"/g, (_m, id: string) => ` id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${prefix}-${id})`)
    .replace(/href="#([^"]+)"/g, (_m, id: string) => `href="#${prefix}-${id}"`);
}

/** JSON inside <script> must not be able to close the tag. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function buildReportHtml(report: EvaluationReportJson, charts: readonly HtmlChart[], font: { family: string; ttfBase64: string }): string {
  const r = report;
  const summary: [string, string, number | null, string][] = [
    ['n', 'Samples', r.n, String(r.n)],
    ['top1', 'Top-1 accuracy', r.top1, formatPercent(r.top1)],
    ['top5', `Top-${r.topK} accuracy`, r.top5, formatPercent(r.top5)],
    ['macroPrecision', 'Macro precision', r.macroPrecision, formatRatio(r.macroPrecision)],
    ['macroRecall', 'Macro recall', r.macroRecall, formatRatio(r.macroRecall)],
    ['macroF1', 'Macro F1', r.macroF1, formatRatio(r.macroF1)],
    ['meanConfidence.all', 'Mean confidence (all)', r.meanConfidence.all, formatPercent(r.meanConfidence.all)],
    ['meanConfidence.correct', 'Mean confidence (correct)', r.meanConfidence.correct, formatPercent(r.meanConfidence.correct)],
    ['meanConfidence.wrong', 'Mean confidence (wrong)', r.meanConfidence.wrong, formatPercent(r.meanConfidence.wrong)],
    ['ece', 'Expected calibration error (15 bins)', r.ece, formatRatio(r.ece)],
  ];
  const summaryRows = summary.map(([key, label, value, text]) => `<tr><th>${escapeHtml(label)}</th>${cell(value, text, key)}</tr>`).join('\n');

  const modelRows = Object.entries(r.model ?? {})
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(String(v))}</td></tr>`)
    .join('\n');

  const perClassRows = r.perClass.map((c) => `<tr data-jamo="${escapeHtml(c.jamo)}"><td class="jamo">${escapeHtml(c.jamo)}</td>`
    + `${cell(c.support, String(c.support))}${cell(c.correct, String(c.correct))}`
    + `${cell(c.accuracy, formatPercent(c.accuracy))}${cell(c.precision, formatRatio(c.precision))}`
    + `${cell(c.recall, formatRatio(c.recall))}${cell(c.f1, formatRatio(c.f1))}`
    + `${cell(c.meanConfidence, formatPercent(c.meanConfidence))}</tr>`).join('\n');

  const pairRows = r.confusedPairs.length === 0
    ? '<tr><td colspan="4">No confusions: every sample was recognised correctly.</td></tr>'
    : r.confusedPairs.map((p) => `<tr><td class="jamo">${escapeHtml(p.true)}</td><td class="jamo">${escapeHtml(p.predicted)}</td>`
      + `${cell(p.count, String(p.count))}${cell(p.rate, formatPercent(p.rate))}</tr>`).join('\n');

  const wrong = r.samples.filter((s) => !s.correct).sort((a, b) => b.confidence - a.confidence);
  const shownWrong = wrong.slice(0, 200);
  const wrongRows = shownWrong.map((s) => `<tr><td>${escapeHtml(s.file ?? '')}</td><td class="jamo">${escapeHtml(r.classes[s.label])}</td>`
    + `<td class="jamo">${escapeHtml(r.classes[s.predicted])}</td>${cell(s.confidence, formatPercent(s.confidence))}</tr>`).join('\n');

  // The chart carries its own title; the figure only names it for screen readers and links.
  const chartBlocks = charts.map((c) => `<figure id="chart-${escapeHtml(c.name)}" aria-label="${escapeHtml(c.title)}">`
    + `${scopeSvgIds(c.svg, c.name)}</figure>`).join('\n');

  return `${reportHead(r.title, 'ko', font, `td.jamo { font-size: 1.15rem; text-align: center; }
.cols { display: flex; flex-wrap: wrap; gap: 2.5rem; align-items: flex-start; }`)}
<body>
<main>
<h1>${escapeHtml(r.title)}</h1>
<p class="note">Predicted class = highest probability (ties: lowest class index). Macro averages over the ${r.macroClassCount} classes present in the truth or the predictions; undefined ratios count as 0 (scikit-learn zero_division=0).</p>
<div class="cols">
<section><h2>Summary</h2><table id="summary"><tbody>
${summaryRows}
</tbody></table></section>
${modelRows ? `<section><h2>Model and data</h2><table id="model"><tbody>\n${modelRows}\n</tbody></table></section>` : ''}
</div>
<h2>Per-class metrics</h2>
<table id="per-class"><thead><tr><th>Jamo</th><th>Support</th><th>Correct</th><th>Accuracy</th><th>Precision</th><th>Recall</th><th>F1</th><th>Mean confidence</th></tr></thead><tbody>
${perClassRows}
</tbody></table>
<h2>Most confused pairs</h2>
<table id="confused-pairs"><thead><tr><th>True</th><th>Predicted</th><th>Count</th><th>Share of true class</th></tr></thead><tbody>
${pairRows}
</tbody></table>
<h2>Charts</h2>
${chartBlocks}
<h2>Wrong predictions${wrong.length > shownWrong.length ? ` (the ${shownWrong.length} most confident of ${wrong.length})` : ` (${wrong.length})`}</h2>
<table id="wrong-samples"><thead><tr><th>File</th><th>True</th><th>Predicted</th><th>Confidence</th></tr></thead><tbody>
${wrongRows || '<tr><td colspan="4">None.</td></tr>'}
</tbody></table>
</main>
<script type="application/json" id="metrics-json">${jsonForScript(report)}</script>
</body>
</html>
`;
}

/**
 * The start of a self-contained report page, up to </head>: the embedded chart font and the
 * styles every report shares, plus `extraCss` for the page's own elements.
 */
export function reportHead(title: string, lang: string, font: { family: string; ttfBase64: string }, extraCss = ''): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
@font-face { font-family: '${font.family}'; src: url(data:font/ttf;base64,${font.ttfBase64}) format('truetype'); }
body { font-family: '${font.family}', sans-serif; margin: 2rem auto; max-width: 1300px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.2rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.3rem; }
.note { color: #555; font-size: 0.9rem; }
table { border-collapse: collapse; margin: 0.6rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #e2e2e2; padding: 0.25rem 0.6rem; text-align: left; }
thead th { background: #f4f6f8; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 1.5rem 0; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
${extraCss}
</style>
</head>`;
}
