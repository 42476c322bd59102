// The module graph: no import cycles, and every import goes down the layer table below.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import madge from 'madge';
import ts from 'typescript';
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

/**
 * The layers, top first. A file belongs to the layer that names it, else to the one whose
 * `dir/**` pattern (everything under dir) is the longest that covers it. A file may import (types included) only from its own layer or
 * one further down, and a portable layer only from portable layers. Portable files import no Node
 * built-in and no package outside PORTABLE_PACKAGES (type-only imports of built-ins load nothing
 * and are allowed). The Node shell sits above the whole portable core.
 */
const LAYERS: { name: string; portable: boolean; files: string[] }[] = [
  // the browser pages: portable, on top of everything portable
  { name: 'web', portable: true, files: ['web/src/**'] },
  { name: 'cli', portable: false, files: ['src/cli/**'] },
  { name: 'server', portable: false, files: ['src/server/**'] },
  { name: 'node entry', portable: false, files: ['src/node.ts'] },
  // training runs, reports and charts, tuning
  {
    name: 'node apps',
    portable: false,
    files: ['src/train/pipeline.ts', 'src/train/run-output.ts', 'src/train/run-summary.ts', 'src/eval/**', 'src/tune/**'],
  },
  // files, worker threads, glove devices and sockets
  {
    name: 'node io',
    portable: false,
    files: [
      'src/paths.ts', 'src/eval/atomic-write.ts', 'src/data/load.ts', 'src/data/layout.ts', 'src/data/safe-read.ts', 'src/data/inspect.ts',
      'src/data/index.ts', 'src/nn/safetensors-fs.ts', 'src/nn/wasm/node-relaxed-simd.ts', 'src/nn/index.ts', 'src/bundle/file.ts', 'src/infer/index.ts', 'src/infer/worker-pool.ts',
      'src/infer/inference-worker.ts', 'src/train/profile.ts', 'src/train/data-parallel-worker.ts', 'src/record/folder.ts',
      'src/stream/node.ts', 'src/stream/source-spec.ts', 'src/stream/lexicon-files.ts', 'src/stream/simulator/params-file.ts',
      'src/stream/sources/serial.ts', 'src/stream/sources/tcp.ts', 'src/stream/sources/udp.ts', 'src/stream/sources/readable.ts',
      'src/stream/sources/replay.ts',
    ],
  },
  // the portable core, bottom up from here: `signglove`
  { name: 'portable entry', portable: true, files: ['src/index.ts'] },
  { name: 'record', portable: true, files: ['src/record/**'] },
  { name: 'stream', portable: true, files: ['src/stream/**'] },
  { name: 'train', portable: true, files: ['src/train/**'] },
  { name: 'metrics', portable: true, files: ['src/eval/metrics.ts'] },
  { name: 'infer', portable: true, files: ['src/infer/**'] },
  { name: 'bundle', portable: true, files: ['src/bundle/**'] },
  { name: 'trees', portable: true, files: ['src/trees/**'] },
  { name: 'models', portable: true, files: ['src/models/**'] },
  // batch augmentation works on standardised batches and needs only base: data level (the bundle records its settings)
  { name: 'data', portable: true, files: ['src/data/**', 'src/train/augment.ts'] },
  { name: 'nn', portable: true, files: ['src/nn/**'] },
  { name: 'base', portable: true, files: ['src/jamo.ts', 'src/util/**'] },
];

/** Packages portable code may use (they run in the browser); the browser pages may also use idb-keyval. */
const PORTABLE_PACKAGES = new Set(['@noble/hashes', 'es-hangul', 'eventemitter3']);
const WEB_PACKAGES = new Set(['idb-keyval']);
const BUILTINS = new Set(builtinModules);

function layerOf(rel: string): number {
  let best = -1;
  let bestScore = -1;
  LAYERS.forEach((l, i) => {
    for (const p of l.files) {
      const score = p.endsWith('/**') ? (rel.startsWith(p.slice(0, -2)) ? p.length : -1) : rel === p ? Infinity : -1;
      if (score > bestScore) [best, bestScore] = [i, score];
    }
  });
  return best;
}

interface Import {
  spec: string;
  typeOnly: boolean;
}

/** Every import of a file: static, re-exports, dynamic import() and import('x') types. */
function importsOf(file: string): Import[] {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: Import[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const c = n.importClause;
      const bindings = c?.namedBindings;
      const typeOnly = !!c && (c.isTypeOnly || (!c.name && !!bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly)));
      out.push({ spec: n.moduleSpecifier.text, typeOnly });
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      const e = n.exportClause;
      const typeOnly = n.isTypeOnly || (!!e && ts.isNamedExports(e) && e.elements.length > 0 && e.elements.every((x) => x.isTypeOnly));
      out.push({ spec: n.moduleSpecifier.text, typeOnly });
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteral(n.arguments[0])) {
      out.push({ spec: n.arguments[0].text, typeOnly: false });
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      out.push({ spec: n.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? tsFiles(p) : d.name.endsWith('.ts') && !d.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The violations of the layer table in a tree of files (relative paths as in LAYERS). */
function layerViolations(files: string[]): string[] {
  const problems: string[] = [];
  for (const rel of files) {
    const from = layerOf(rel);
    if (from < 0) {
      problems.push(`${rel} is in no layer: add it to the table in test/architecture.test.ts`);
      continue;
    }
    const layer = LAYERS[from]!;
    for (const { spec, typeOnly } of importsOf(path.join(PACKAGE_ROOT, rel))) {
      if (spec.startsWith('.')) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec)).replace(/\.js$/, '.ts');
        if (!target.endsWith('.ts')) continue; // data (the shipped simulator parameters)
        const to = layerOf(target);
        if (to < 0) continue; // reported as a file of its own
        if (to < from) problems.push(`${rel} (${layer.name}) imports ${target} from the higher layer ${LAYERS[to]!.name}`);
        else if (layer.portable && !LAYERS[to]!.portable) problems.push(`${rel} (portable ${layer.name}) imports ${target} from the Node layer ${LAYERS[to]!.name}`);
        continue;
      }
      if (!layer.portable) continue;
      const bare = spec.replace(/^node:/, '').split('/')[0]!;
      if (spec.startsWith('node:') || BUILTINS.has(bare)) {
        if (!typeOnly) problems.push(`${rel} (portable ${layer.name}) imports the Node built-in ${spec}`);
        continue;
      }
      const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : bare;
      if (!PORTABLE_PACKAGES.has(pkg) && !(layer.name === 'web' && WEB_PACKAGES.has(pkg))) {
        problems.push(`${rel} (portable ${layer.name}) imports ${pkg}, not a portable package`);
      }
    }
  }
  return problems;
}

const sourceFiles = (): string[] =>
  [...tsFiles(path.join(PACKAGE_ROOT, 'src')), ...tsFiles(path.join(PACKAGE_ROOT, 'web', 'src'))].map((f) => path.relative(PACKAGE_ROOT, f).split(path.sep).join('/'));

test('every import goes down the layer table, and the portable core imports nothing from Node', () => {
  const files = sourceFiles();
  assert.ok(files.length > 150, 'read the source tree');
  assert.deepEqual(layerViolations(files), []);
});

test('the layer check catches a Node import in portable code and an import from a higher layer', () => {
  // real files that do import upwards / Node: checked as if they sat in a portable lower layer
  const saved = LAYERS.splice(0, LAYERS.length, ...LAYERS.map((l) => ({ ...l, files: [...l.files] })));
  try {
    const base = LAYERS.find((l) => l.name === 'base')!;
    base.files.push('src/cli/main.ts');
    LAYERS.unshift({ name: 'probe', portable: true, files: ['src/data/load.ts'] });
    const problems = layerViolations(['src/cli/main.ts', 'src/data/load.ts']).join('\n');
    assert.match(problems, /src\/cli\/main\.ts \(portable base\) imports the Node built-in node:/);
    assert.match(problems, /src\/cli\/main\.ts \(portable base\) imports commander, not a portable package/);
    assert.match(problems, /src\/cli\/main\.ts \(base\) imports src\/.* from the higher layer/);
    assert.match(problems, /src\/data\/load\.ts \(portable probe\) imports src\/data\/layout\.ts from the Node layer node io/);
  } finally {
    LAYERS.splice(0, LAYERS.length, ...saved);
  }
});

/**
 * Imports `entry` in a fresh Node and lists every module URL it resolved (an ESM resolve hook
 * posts each one back), so the test sees what really loads, packages included.
 */
function modulesLoadedBy(entry: string): string[] {
  const hooks = `data:text/javascript,${encodeURIComponent(
    'let port; export function initialize(d) { port = d.port; } ' +
      'export async function resolve(s, c, next) { const r = await next(s, c); port.postMessage(r.url); return r; }',
  )}`;
  const script = `
    import { register } from 'node:module';
    import { MessageChannel } from 'node:worker_threads';
    const { port1, port2 } = new MessageChannel();
    const urls = [];
    const sentinel = 'data:text/javascript,export default 1';
    const seen = new Promise((done) => port1.on('message', (u) => { if (u === sentinel) done(); else urls.push(u); }));
    register(${JSON.stringify(hooks)}, { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] });
    await import(${JSON.stringify(entry)});
    await import(sentinel);
    await seen;
    port1.close();
    process.stdout.write(JSON.stringify(urls));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: PACKAGE_ROOT });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as string[];
}

const HEAVY = /\/node_modules\/(hono|@hono|serialport|@serialport|vega|vega-[a-z-]+|@resvg|bullmq|ioredis|commander|cli-table3|log-update)\//;

test('importing the portable entry loads no server, serial, chart or CLI library, and no Node shell module', () => {
  const entry = path.join(PACKAGE_ROOT, 'dist', 'src', 'index.js');
  const urls = modulesLoadedBy(`file://${entry}`);
  assert.ok(urls.some((u) => u.endsWith('/dist/src/stream/recognizer.js')), 'the hook saw the entry load the recogniser');
  assert.deepEqual(urls.filter((u) => HEAVY.test(u)), []);
  const shell = urls.filter((u) => u.includes('/dist/src/')).map((u) => path.relative(path.join(PACKAGE_ROOT, 'dist'), new URL(u).pathname).replace(/\.js$/, '.ts'))
    .filter((rel) => !LAYERS[layerOf(rel)]?.portable);
  assert.deepEqual(shell, []);
  assert.deepEqual(urls.filter((u) => u.startsWith('node:')), []);
  // the same probe does see them where they are used
  assert.ok(modulesLoadedBy(`file://${path.join(PACKAGE_ROOT, 'dist', 'src', 'server', 'index.js')}`).some((u) => /\/node_modules\/hono\//.test(u)));
});

test('the package entry points: signglove (portable), signglove/node (a superset), signglove/server', async () => {
  // self-reference by package name goes through package.json "exports", as a user's import does
  const core = await import('signglove');
  const node = await import('signglove/node');
  const server = await import('signglove/server');
  for (const name of ['Predictor', 'recognize', 'createLiveSession', 'train', 'calibrateModel', 'encodeBundle', 'decodeBundle', 'topK', 'StreamingRecognizer']) {
    assert.ok(name in core, `signglove exports ${name}`);
  }
  for (const name of ['loadModel', 'loadDataset', 'saveBundle', 'openSource', 'runTrainJob', 'writeEvaluationReport']) {
    assert.ok(!(name in core), `${name} needs Node: not in signglove`);
    assert.ok(name in node, `signglove/node exports ${name}`);
  }
  for (const name of Object.keys(core)) assert.ok(name in node, `signglove/node re-exports ${name}`);
  assert.equal(typeof server.startServer, 'function');
});
