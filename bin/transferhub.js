#!/usr/bin/env node
// The compiled CLI (dist/, made by `npm run build`: production images and installs) when it is
// there; otherwise, in a checkout, the TypeScript sources through tsx (a devDependency).
// After changing sources in a checkout that has a dist/, run `npm run build` again.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/src/cli/main.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
