// npm run bench:scale [-- --scale 0.1] [--folder DIR]: generates (or reuses) the national-scale
// database and measures the readers on it against the targets of issue 14.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateScaleDatabase } from './scale-database.js';
import { runScaleMeasurements } from './scale-measurements.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    folder: { type: 'string' },
    years: { type: 'string' },
    'generate-only': { type: 'boolean', default: false },
    /** Status, report and re-persist only: the export of five million records takes minutes. */
    'skip-export': { type: 'boolean', default: false },
  },
});
const scale = Number(values.scale);
if (!(scale > 0 && scale <= 1)) throw new Error(`--scale needs a number in (0, 1], not "${values.scale}"`);
const years = values.years === undefined ? undefined : Number(values.years);
if (years !== undefined && !(Number.isInteger(years) && years >= 1 && years <= 15)) throw new Error(`--years needs 1 to 15, not "${values.years}"`);
const folder = values.folder ?? join(tmpdir(), `ntm-scale-${scale}${years ? `-${years}y` : ''}`);
mkdirSync(folder, { recursive: true });

const generated = generateScaleDatabase({ folder, scale, years, log: (line) => console.log(line) });
console.log(
  `# Scale database ${generated.path} (${generated.reused ? 'reused' : `generated in ${generated.seconds.toFixed(0)} s`}): ${generated.communes} xã, ${generated.districts} districts, ${generated.documents.toLocaleString('en')} documents, ${generated.statements.toLocaleString('en')} statements, ${generated.citations.toLocaleString('en')} citations, ${generated.flags.toLocaleString('en')} flags (${generated.crossDocumentFlags.toLocaleString('en')} cross-document)`,
);
if (!values['generate-only']) {
  // A second, smaller database for the export's memory at two sizes.
  const small = values['skip-export']
    ? undefined
    : generateScaleDatabase({ folder: join(folder, 'small'), scale: Math.min(scale, 0.05), years: Math.min(years ?? 15, 5) });
  await runScaleMeasurements(generated.path, { smallPath: small?.path, export: !values['skip-export'] });
}
