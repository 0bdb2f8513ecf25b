#!/usr/bin/env node
// `npm run build [-- <outDir>]`: src/ and workers/ to dist/ (or <outDir>) as JavaScript that
// `node` runs without tsx. tsc (tsconfig.build.json) emits; then, because tsc keeps import
// specifiers as written and the sources import without extensions (Bundler resolution, which tsx
// and vitest understand), each relative specifier gets the `.js` or `/index.js` that exists
// beside it, as Node's ESM loader needs. A specifier that names no emitted file fails the build
// here rather than the production start later. Files read at run time (migrations/, data/demo/,
// README.md) stay where they are: src/lib/package-root.ts finds them beside package.json.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? 'dist');
rmSync(root, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', root], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

// `from './x'`, `import './x'`, `import('./x')`: the forms tsc emits for static and dynamic imports.
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(?\s*)(['"])(\.{1,2}\/[^'"]*)\2/g;
const KEEP = /\.(js|mjs|cjs|json)$/;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (name.endsWith('.js')) yield path;
  }
}

const missing = [];
let rewritten = 0;
for (const file of files(root)) {
  const text = readFileSync(file, 'utf8');
  const next = text.replace(SPECIFIER, (whole, lead, quote, specifier) => {
    if (KEEP.test(specifier)) return whole;
    const base = resolve(dirname(file), specifier);
    const target = existsSync(`${base}.js`) ? `${specifier}.js` : existsSync(join(base, 'index.js')) ? `${specifier}/index.js` : null;
    if (target === null) {
      missing.push(`${file}: ${specifier}`);
      return whole;
    }
    rewritten += 1;
    return `${lead}${quote}${target}${quote}`;
  });
  if (next !== text) writeFileSync(file, next);
}
if (missing.length > 0) {
  console.error(`build: relative imports that name no emitted file:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.log(`build: ${rewritten} relative imports resolved in ${root}`);
