// Helper micro-timing (not part of the bench CLI): epochs and latency for one model, medians.
import path from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';
import { backendByName } from './backends.js';
import { buildModel, epochRunner, singleLatency, batchThroughput, repeat } from './signglove.js';
import { loadWorkload } from './workload.js';
const arch = process.argv[2] ?? 'GRU';
const what = process.argv[3] ?? 'epoch';
const runs = Number(process.argv[4] ?? 3);
const k = backendByName(process.env.BACKEND ?? 'wasm');
const work = await loadWorkload(path.resolve(PACKAGE_ROOT, '..', 'shared', 'datasets', 'signglove-2025-10-01'));
const model = buildModel(arch, k);
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
if (what === 'epoch') console.log(arch, 'epoch s', med(repeat(epochRunner(model, work.train, k), runs)).toFixed(3));
else if (what === 'lat') console.log(arch, 'latency ms', med(repeat(singleLatency(model, work.test, k, 300), runs)).toFixed(4));
else console.log(arch, 'throughput', med(repeat(batchThroughput(model, work.test, k), runs)).toFixed(0));
