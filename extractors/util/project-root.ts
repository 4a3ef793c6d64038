import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

/** The folder holding package.json, found from this file, so data files resolve from src/ and dist/ alike. */
export function projectRoot(): string {
  if (cached) return cached;
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error('Cannot find the project root (no package.json above this module)');
    folder = parent;
  }
  cached = folder;
  return folder;
}

export function projectPath(...parts: string[]): string {
  return join(projectRoot(), ...parts);
}
