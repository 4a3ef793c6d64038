import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Files under the given paths (folders recursively, in name order); hidden files are skipped. */
export async function listInputFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) files.push(...(await walk(path)));
  return files;
}

async function walk(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const entries = (await readdir(path)).filter((name) => !name.startsWith('.')).sort();
  const nested = await Promise.all(entries.map((name) => walk(join(path, name))));
  return nested.flat();
}
