// The module graph has no import cycles (type-only imports count: they couple modules too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import madge from 'madge';
import { PACKAGE_ROOT } from '../src/paths.js';

test('no import cycles in src/ (madge, type imports included)', async () => {
  const graph = await madge(path.join(PACKAGE_ROOT, 'src'), {
    fileExtensions: ['ts'],
    tsConfig: path.join(PACKAGE_ROOT, 'tsconfig.json'),
    detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
  });
  assert.ok(Object.keys(graph.obj()).length > 150, 'madge read the source tree');
  assert.deepEqual(graph.circular(), []);
});
