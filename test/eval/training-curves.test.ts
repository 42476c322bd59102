/** The training-curve chart marks the epoch whose weights were kept; accuracy axes start at a sensible floor. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accuracyAxisFloor, comparisonSpec, trainingCurvesSpec, type TrainingHistoryRow } from '../../src/eval/charts.js';

const history: TrainingHistoryRow[] = [1, 2, 3, 4, 5].map((epoch) => ({
  epoch, trainLoss: 2 / epoch, valLoss: [2, 1.2, 0.8, 0.9, 1.0][epoch - 1]!, trainAcc: 0.2 * epoch, valAcc: [0.3, 0.6, 0.92, 0.9, 0.88][epoch - 1]!,
}));

type Layer = { data?: { values: Record<string, unknown>[] }; layer?: Layer[]; mark?: { type: string } | string; encoding?: { y?: { scale?: { domain?: number[] } } } };
const panels = (spec: unknown): Layer[] => (spec as { hconcat: Layer[] }).hconcat;

test('the kept epoch is a rule with a label on both panels, and the subtitle says which', () => {
  const spec = trainingCurvesSpec(history, { bestEpoch: 3 });
  for (const panel of panels(spec)) {
    const mark = panel.layer!.find((l) => l.data?.values[0]?.epoch === 3)!;
    assert.ok(mark, 'a layer for the kept epoch');
    assert.deepEqual(mark.layer!.map((l) => (typeof l.mark === 'string' ? l.mark : l.mark!.type)), ['rule', 'text']);
    assert.match(String(mark.data!.values[0]!.label), /^kept: epoch 3/);
  }
  assert.match(String((spec.title as { subtitle: string }).subtitle), /weights of epoch 3 \(best validation loss\) were kept/);
  assert.equal(String(panels(spec)[1]!.layer!.find((l) => l.data)!.data!.values[0]!.label), 'kept: epoch 3 (val 92.0%)');
  // no kept epoch known (or outside the run): no mark
  assert.ok(panels(trainingCurvesSpec(history)).every((p) => !p.layer));
  assert.ok(panels(trainingCurvesSpec(history, { bestEpoch: 9 })).every((p) => !p.layer));
});

test('accuracy axes end at 100% and start at 0, or a round step below the lowest value when all are high', () => {
  assert.equal(accuracyAxisFloor([0.92, 0.97, 1]), 0.8);
  assert.equal(accuracyAxisFloor([0.995, 1]), 0.9);
  assert.equal(accuracyAxisFloor([0.62, 0.9]), 0.5);
  assert.equal(accuracyAxisFloor([0.3, 0.99]), 0);
  assert.equal(accuracyAxisFloor([null]), 0);
  const curves = panels(trainingCurvesSpec(history))[1]!;
  assert.deepEqual(curves.encoding!.y!.scale!.domain, [0, 1]);
  const compare = comparisonSpec([
    { model: 'gru', testAccuracy: 0.92, macroF1: 0.91, params: 1, trainSeconds: 1, latencyMs: 1 },
    { model: 'extra_trees', testAccuracy: 1, macroF1: 1, params: 1, trainSeconds: 1, latencyMs: 1 },
  ]) as unknown as { concat: { encoding: { x: { scale: { domain: number[] } } } }[] };
  assert.deepEqual(compare.concat[0]!.encoding.x.scale.domain, [0.8, 1]);
});
