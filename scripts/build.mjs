// Build: WebAssembly kernels (if their builder exists), TypeScript, then the browser bundle.
// Each optional step lives in its own script so the pieces stay independent.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: false });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (existsSync('scripts/build-wasm.mjs')) run(process.execPath, ['scripts/build-wasm.mjs']);
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']);
if (existsSync('scripts/build-web.mjs')) run(process.execPath, ['scripts/build-web.mjs']);
