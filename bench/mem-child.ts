/**
 * Peak resident memory of a fresh process that loads the data and trains one epoch, like
 * bench/torch_bench.py --mem-child. usage: mem-child ARCH DATA_DIR BACKEND → prints {"maxrss_mb": …}
 */
import '../src/nn/wasm/node-relaxed-simd.js'; // first: the same wasm build as the CLI
import { loadWorkload } from './workload.js';
import { buildModel, epochRunner } from './signglove.js';
import { backendByName } from './backends.js';

const [arch = 'GRU', data = '', backend = 'wasm'] = process.argv.slice(2);
const kernels = backendByName(backend);
const w = await loadWorkload(data);
epochRunner(buildModel(arch, kernels), w.train, kernels)();
console.log(JSON.stringify({ maxrss_mb: process.resourceUsage().maxRSS / 1024 }));
