import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/*
 * Docker does not run here, so the image is checked from its recipe: every command of
 * docker-compose.yml names a file `npm run build` produces, and the Dockerfile's runtime stage
 * holds what those commands load at run time (the compiled code, production dependencies only,
 * and the files found beside package.json), as a non-root user with a health check.
 */

type Service = { image?: string; build?: unknown; command?: string[]; volumes?: unknown[]; healthcheck?: { disable?: boolean; test?: string[] } };
const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, Service> };
const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const build = JSON.parse(readFileSync('tsconfig.build.json', 'utf8').replace(/^\s*\/\/.*$/gm, '')) as { include: string[]; compilerOptions: { outDir: string } };

/** The Dockerfile's stages: name and instructions (continuation lines joined, comments dropped). */
function stages() {
  const lines = readFileSync('Dockerfile', 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const found: { name: string; instructions: string[] }[] = [];
  for (const line of lines) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) found.push({ name: from[2] ?? from[1]!, instructions: [line] });
    else found.at(-1)?.instructions.push(line);
  }
  return found;
}

const hubServices = Object.entries(compose.services).filter(([, service]) => service.image?.startsWith('transferhub'));
/** `dist/src/server.js` → `src/server.ts`: the compiled file's source, if the build compiles it. */
const sourceOf = (compiled: string) => {
  const inside = relative(build.compilerOptions.outDir, compiled);
  const source = inside.replace(/\.js$/, '.ts');
  return build.include.some((root) => source.startsWith(`${root}/`)) && existsSync(source) ? source : null;
};

/** The source files an entry loads: relative imports followed, and the crawl thread's entry beside who starts it. */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const [, specifier] of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)'(\.{1,2}\/[^']+)'/g)) {
      const base = join(dirname(file), specifier!.replace(/\.js$/, ''));
      const target = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
      if (target) queue.push(target);
    }
    if (text.includes('new Worker(')) {
      for (const name of readdirSync(dirname(file))) if (name.endsWith('.worker.ts')) queue.push(join(dirname(file), name));
    }
  }
  return seen;
}

/** Packages a set of source files imports (`pg`, `@fastify/swagger`), without Node's own modules. */
function packagesOf(files: Set<string>): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)'([^'.][^']*)'/g)) {
      if (specifier!.startsWith('node:') || builtinModules.includes(specifier!)) continue;
      const parts = specifier!.split('/');
      names.add(specifier!.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
    }
  }
  return names;
}

/** What `packagePath(…)` calls in these files read beside package.json: `migrations`, `data/demo`. */
function packageFilesOf(files: Set<string>): Set<string> {
  const paths = new Set<string>();
  for (const file of files) {
    for (const [, args] of readFileSync(file, 'utf8').matchAll(/packagePath\(([^)]*)\)/g)) {
      const parts = [...args!.matchAll(/'([^']+)'/g)].map((m) => m[1]);
      if (parts.length > 0) paths.add(parts.join('/'));
    }
  }
  return paths;
}

describe('the production image (Dockerfile, docker-compose.yml)', () => {
  const runtime = stages().at(-1)!;
  const copies = runtime.instructions.filter((line) => /^COPY\s/i.test(line));
  const copied = (path: string) => copies.some((line) => line.split(/\s+/).slice(1, -1).some((source) => source === path || path.startsWith(`${source}/`)));
  const entries = hubServices.map(([name, service]) => ({ name, command: service.command ?? [] }));

  it('runs migrate, api and worker from the one image built from the Dockerfile, with no checkout mounted and nothing installed at start', () => {
    expect(entries.map((e) => e.name).sort()).toEqual(['api', 'migrate', 'worker']);
    expect(new Set(hubServices.map(([, service]) => service.image)).size).toBe(1);
    for (const [name, service] of hubServices) {
      expect(service.build, name).toBe('.');
      expect(service.volumes, name).toBeUndefined();
      expect(service.command?.join(' '), name).not.toMatch(/npm|tsx/);
    }
    expect(compose.services.redis?.command).toEqual(expect.arrayContaining(['--maxmemory-policy', 'noeviction']));
    for (const name of ['postgres', 'redis', 'api', 'worker']) expect(compose.services[name]?.healthcheck?.test, name).toBeDefined();
    // A worker has HTTP only for its metrics: its health check asks the port it is given.
    const worker = compose.services.worker as Service & { environment: Record<string, string> };
    expect(worker.healthcheck?.test?.join(' ')).toContain(`127.0.0.1:${worker.environment.HUB_WORKER_METRICS_PORT}/metrics`);
  });

  it('points every hub command at a file npm run build compiles', () => {
    for (const { name, command } of entries) {
      expect(command[0], name).toBe('node');
      expect(command[1], name).toMatch(/^dist\/.+\.js$/);
      expect(sourceOf(command[1]!), `${name}: ${command[1]} is not compiled from src/ or workers/`).not.toBeNull();
    }
    const cmd = runtime.instructions.find((line) => line.startsWith('CMD'))!;
    expect(sourceOf((JSON.parse(cmd.slice(3)) as string[])[1]!)).toBe('src/server.ts');
  });

  it('builds with dev dependencies and runs on production dependencies only, without tsx', () => {
    const buildStage = stages()[0]!;
    expect(buildStage.instructions.join('\n')).toMatch(/RUN npm ci\b[\s\S]*RUN npm run build/);
    expect(runtime.instructions.find((line) => /npm ci/.test(line))).toMatch(/--omit=dev/);
    expect(copies).toContainEqual(expect.stringMatching(/^COPY --from=\S+ \/app\/dist \.\/dist$/));
    expect(packageJson.dependencies.tsx).toBeUndefined();
    for (const { name, command } of entries) {
      const missing = [...packagesOf(reachable(sourceOf(command[1]!)!))].filter((pkg) => !(pkg in packageJson.dependencies));
      expect(missing, `${name} imports packages the runtime stage does not install`).toEqual([]);
    }
  });

  it('copies into the runtime stage every file the commands read beside package.json', () => {
    const needed = new Set(entries.flatMap(({ command }) => [...packageFilesOf(reachable(sourceOf(command[1]!)!))]));
    expect([...needed]).toEqual(expect.arrayContaining(['migrations', 'data/demo']));
    for (const path of needed) expect(copied(path), `${path} is not copied into the runtime stage`).toBe(true);
    expect(copied('package.json')).toBe(true);
    const ignored = readFileSync('.dockerignore', 'utf8').split('\n').map((line) => line.trim());
    for (const path of needed) expect(ignored.includes(path) && !ignored.includes(`!${path}`), `${path} is in .dockerignore`).toBe(false);
  });

  it('runs as a non-root user, exposes 8080 and checks /health with node', () => {
    const user = runtime.instructions.filter((line) => line.startsWith('USER')).at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/\b(root|0)\b/);
    expect(runtime.instructions).toContain('EXPOSE 8080');
    const health = runtime.instructions.find((line) => line.startsWith('HEALTHCHECK'));
    expect(health).toMatch(/CMD \["node", "-e", .*\/health/);
  });
});
