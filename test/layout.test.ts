/**
 * The README's dependency graph is the code's: dependency-cruiser collapses every module to its
 * top-level folder, and the folders of the project each one imports must be the ones listed
 * between the README's dependency-graph markers. (The rules themselves run in `npm test` before
 * vitest: see .dependency-cruiser.cjs.)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../extractors/util/project-root.js';

const LAYERS = ['src', 'db', 'queues', 'extractors'] as const;

function graphOfTheCode(): string {
  const output = execFileSync(
    process.execPath,
    [
      projectPath('node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'),
      '--config',
      '.dependency-cruiser.cjs',
      '--collapse',
      `^(${LAYERS.join('|')})/`,
      '--output-type',
      'text',
      ...LAYERS,
    ],
    { cwd: projectPath(), encoding: 'utf8' },
  );
  const imports = new Map<string, Set<string>>(LAYERS.map((layer) => [`${layer}/`, new Set<string>()]));
  for (const line of output.split('\n')) {
    const [from, to] = line.split(' → ');
    if (!from || !to || from === to) continue;
    if (imports.has(from) && imports.has(to)) imports.get(from)!.add(to);
  }
  const width = Math.max(...LAYERS.map((layer) => layer.length + 1));
  return LAYERS.map((layer) => {
    const targets = [...imports.get(`${layer}/`)!].sort();
    const listed = targets.length > 0 ? targets.join(', ') : layer === 'extractors' ? '(nothing of the project)' : '(libraries only)';
    return `${`${layer}/`.padEnd(width)} → ${listed}`;
  }).join('\n');
}

function graphOfTheReadme(): string {
  const readme = readFileSync(projectPath('README.md'), 'utf8');
  const block = /<!-- dependency-graph[^>]*-->\n```text\n([\s\S]*?)\n```\n<!-- \/dependency-graph -->/.exec(readme);
  if (!block?.[1]) throw new Error('README.md has no dependency-graph block in its Layout section');
  return block[1];
}

describe('layout', () => {
  it("the README's dependency graph is the one the code has", () => {
    expect(graphOfTheCode()).toBe(graphOfTheReadme());
  });
});
