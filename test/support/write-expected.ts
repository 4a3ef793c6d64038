// Writes fixtures/expected/<seed>.json from the text version of each seed. Run it only after
// reading the differences it makes (git diff): the expected files are reviewed ground truth.
//   npx tsx test/support/write-expected.ts
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { projectPath } from '../../extractors/util/project-root.js';
import { extractFixture } from './compact-statements.js';

const seeds = projectPath('fixtures', 'seeds');
for (const name of (await readdir(seeds)).filter((file) => /^\d{3}_[0-9a-f]+\.txt$/.test(file))) {
  const extraction = await extractFixture(join(seeds, name));
  // One statement per line keeps the review of a change readable.
  const lines = (items: unknown[]) => items.map((item) => `    ${JSON.stringify(item)}`).join(',\n');
  const json = `{\n  "statements": [\n${lines(extraction.statements)}\n  ],\n  "flags": [\n${lines(extraction.flags)}\n  ]\n}\n`;
  await writeFile(projectPath('fixtures', 'expected', name.replace(/\.txt$/, '.json')), json);
  console.log(`${name}: ${extraction.statements.length} statements, ${extraction.flags.length} flags`);
}
