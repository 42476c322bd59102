// Rewrites the shipped models' cards (models/*.md) from their bundles, adding the new-day and
// posture figures of docs/results/generalization/generalization.json for the architectures it measured.
// A card's hand-measured "- Per day on this split" line (not in the bundle) is kept.
// usage: npm run build && node scripts/model-cards.mjs
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { readSafetensors } from '../dist/src/nn/safetensors-fs.js';
import { modelCard } from '../dist/src/bundle/card.js';
import { writeFileAtomic } from '../dist/src/eval/atomic-write.js';
import { cardWithRunId } from '../dist/src/train/run-output.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const GEN = 'docs/results/generalization/generalization.json';
const gen = JSON.parse(readFileSync(path.join(root, GEN), 'utf8'));
const pct = (x) => `${(x * 100).toFixed(1)}%`;
const day = (d) => d.replace(/^signglove-/, '');
const KEPT = '- Per day on this split';

function figures(arch) {
  const rows = gen.rows.filter((r) => r.model === arch);
  if (rows.length === 0) {
    return [`- New-day and posture figures: not measured for this architecture (${GEN} has ${gen.models.join(', ')}).`];
  }
  const line = (r) => `${pct(r.summary.top1.mean)} ± ${pct(r.summary.top1.std)} (ECE ${r.summary.ece.mean.toFixed(3)})`;
  const pick = (protocol, k) => rows.filter((r) => r.protocol === protocol && (k === undefined || r.k === k));
  const capped = arch !== 'ExtraTrees' && gen.epochs ? `, networks trained at most ${gen.epochs} epochs` : '';
  const out = [`- Measured by \`signglove benchmark generalization\` on models of this architecture trained by the benchmark with the same pipeline (${gen.seeds.length} seeds${capped}; ${GEN}):`];
  for (const r of pick('posture-train-stats')) out.push(`  - leave one posture folder out, ${day(r.train)}: ${line(r)}`);
  for (const r of pick('zero-shot-warmup')) out.push(`  - a new day, no calibration (${day(r.train)} → ${day(r.test)}, 12-episode warm-up): ${line(r)}`);
  for (const r of pick('zero-shot-self-trained')) out.push(`  - a new day, no labels: adapted on all its unlabelled holds (\`signglove adapt\`, ${day(r.train)} → ${day(r.test)}, tested on the same holds): ${line(r)}`);
  for (const r of pick('calibrated-strict', 3)) out.push(`  - a new day calibrated with 3 basic-posture episodes per letter (${day(r.train)} → ${day(r.test)}): ${line(r)}`);
  for (const r of pick('calibrated-random', 3)) out.push(`  - a new day calibrated with 3 episodes per letter from varied postures (${day(r.train)} → ${day(r.test)}): ${line(r)}`);
  return out;
}

for (const f of readdirSync(path.join(root, 'models')).filter((f) => f.endsWith('.safetensors'))) {
  const { metadata } = readSafetensors(path.join(root, 'models', f));
  const meta = JSON.parse(metadata.signglove);
  const cardFile = path.join(root, 'models', f.replace(/\.safetensors$/, '.md'));
  const kept = existsSync(cardFile) ? readFileSync(cardFile, 'utf8').split('\n').filter((l) => l.startsWith(KEPT)) : [];
  const card = modelCard(meta, { results: [...kept, ...figures(meta.arch.arch)] });
  const runId = meta.provenance?.runId;
  writeFileAtomic(cardFile, runId ? cardWithRunId(card, runId) : card);
  console.log(`models/${f.replace(/\.safetensors$/, '.md')}`);
}
