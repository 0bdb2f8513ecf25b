/**
 * The pathological repository of issue 10 #2, built with git into a bare repository: 1,500
 * nearly identical files of 1 MB each at the root, stored as deltas of one another (a pack of
 * a few hundred KiB that inflates to 1.5 GB), plus a README and a licence. `git fast-import`
 * writes it in seconds without a working tree: each blob is stored as a delta against the one
 * before, as `git gc` would.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import licences from 'spdx-license-list/full.js';
import { git, gitEnv } from './git-server';

/** allowFilter false: a plain git server without partial-clone filters (the crawler's fallback path). */
export type PathologicalOptions = { files?: number; fileBytes?: number; allowFilter?: boolean };

/** 1 MB of text that compresses like source code (words, numbers, line ends), the same every run. */
function baseContent(bytes: number): Buffer {
  const words = 'Stadt Bürger Meldung Verwaltung Straße Antrag Formular Daten Schnittstelle Karte'.split(' ');
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `${words[i % 10]} ${words[(i * 7) % 10]} ${i % 1000} ${words[(i * 3) % 10]}\n`;
    lines.push(line);
    size += Buffer.byteLength(line);
  }
  return Buffer.from(lines.join('')).subarray(0, bytes);
}

export async function buildPathologicalRepo(bareDir: string, options: PathologicalOptions = {}): Promise<{ inflatedBytes: number }> {
  const files = options.files ?? 1500;
  const fileBytes = options.fileBytes ?? 1_000_000;
  await mkdir(bareDir, { recursive: true });
  await git(bareDir, ['init', '-q', '--bare', '-b', 'main']);
  if (options.allowFilter !== false) await git(bareDir, ['config', 'uploadpack.allowFilter', 'true']);
  const child = spawn('git', ['fast-import', '--quiet'], { cwd: bareDir, env: gitEnv(), stdio: ['pipe', 'ignore', 'inherit'] });
  const write = async (chunk: Buffer | string) => {
    if (!child.stdin.write(chunk)) await once(child.stdin, 'drain');
  };
  const blob = async (mark: number, content: Buffer) => {
    await write(`blob\nmark :${mark}\ndata ${content.length}\n`);
    await write(content);
    await write('\n');
  };
  const base = baseContent(fileBytes);
  for (let i = 1; i <= files; i++) {
    // Nearly identical: one line differs, so every file is a small delta of the one before.
    const marker = Buffer.from(`Datei ${String(i).padStart(6, '0')}\n`);
    const content = Buffer.concat([marker, base.subarray(marker.length)]);
    await blob(i, content);
  }
  const readme = Buffer.from('# Viele Daten\n\nEin Projekt mit sehr vielen fast gleichen Dateien.\n');
  const licence = Buffer.from((licences as Record<string, { licenseText: string }>)['MIT']!.licenseText);
  await blob(files + 1, readme);
  await blob(files + 2, licence);
  const message = 'Viele Daten\n';
  await write(`commit refs/heads/main\ncommitter Stadt Test <it@stadt.example> 1709290800 +0100\ndata ${Buffer.byteLength(message)}\n${message}`);
  for (let i = 1; i <= files; i++) await write(`M 100644 :${i} daten-${String(i).padStart(4, '0')}.txt\n`);
  await write(`M 100644 :${files + 1} README.md\nM 100644 :${files + 2} LICENSE\n\n`);
  child.stdin.end();
  const [code] = (await once(child, 'close')) as [number];
  if (code !== 0) throw new Error(`git fast-import failed (${code})`);
  return { inflatedBytes: files * fileBytes };
}
