// Runs every compiled *.test.js under dist/test with node:test (Node 20 has no glob support in --test).
// Extra arguments filter by substring of the file path, e.g. `npm test -- nn` runs only the engine tests.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const root = path.resolve('dist/test');
// tsc never deletes outputs: a compiled test whose source was removed must not run.
const hasSource = (js) => existsSync(path.join('test', path.relative(root, js)).replace(/\.js$/, '.ts'));
const filters = process.argv.slice(2);
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.js') && hasSource(p) && (filters.length === 0 || filters.some((f) => p.includes(f)))) files.push(p);
  }
})(root);
if (files.length === 0) {
  console.error(`no test files found under ${root}${filters.length ? ` matching ${filters.join(', ')}` : ''}`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
