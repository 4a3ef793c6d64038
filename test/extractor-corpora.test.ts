/**
 * Duckling-style corpus test: every `extractors/<kind>/corpus.json` holds examples of one
 * extractor (positives with the statements they must yield, negatives that must yield none),
 * and this one test runs them all, so adding a case is adding data.
 *
 * Every positive (and negative) also runs in three generated forms: NFD, without diacritics
 * (and đ/Đ), and with CRLF line ends; each must give the same result as the original.
 *
 * A line with `"rule": "<name>"` runs that rule of the registry (extractors/rules.ts) alone
 * instead of all of them: what one rule reads by itself, or does not.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractStatements, type Extraction } from '../extractors/extract-statements.js';
import { rulesNamed } from '../extractors/rules.js';
import type { Statement } from '../extractors/statement.js';

// ---------------------------------------------------------------------------------------------
// The corpus format

type Expected = Record<string, unknown> & { kind: string };

interface Positive {
  text: string;
  /** Run only this rule of the registry (its `name`), not every rule. */
  rule?: string;
  /** "YYYY-MM-DD": the document header is prepended so the period and criteria set are known. */
  date?: string;
  expect?: Expected[];
  /** Metadata corpus: field → value of `metadata.<field>.value` ("signerName"/"signerRole" read `signer.value`). */
  expectMetadata?: Record<string, unknown>;
  /** Consistency corpus: each must match some flag (partially). */
  expectFlags?: Array<Record<string, unknown> & { type: string }>;
  note?: string;
}

interface Negative {
  text: string;
  rule?: string;
  date?: string;
  why: string;
  /** Metadata corpus: fields of `metadata` that must stay null (default: number, date, place, signer). */
  absent?: string[];
}

interface Corpus {
  kinds: string[];
  positive: Positive[];
  negative: Negative[];
}

// ---------------------------------------------------------------------------------------------
// Loading

function findProjectRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error('no package.json above the test file');
    folder = parent;
  }
  return folder;
}

const EXTRACTORS = join(findProjectRoot(), 'extractors');
/** Every `corpus.json` and `corpus.<part>.json` of every extractor folder, named `<folder>` or `<folder>/<part>`. */
const CORPORA: Array<{ name: string; corpus: Corpus }> = readdirSync(EXTRACTORS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((entry) =>
    readdirSync(join(EXTRACTORS, entry.name))
      .filter((file) => /^corpus(?:\.[a-z0-9-]+)?\.json$/.test(file))
      .map((file) => ({ folder: entry.name, file, part: file.slice('corpus.'.length, -'.json'.length) })),
  )
  .sort((a, b) => `${a.folder}/${a.file}`.localeCompare(`${b.folder}/${b.file}`))
  .map(({ folder, file, part }) => ({
    name: part === '' ? folder : `${folder}/${part}`,
    corpus: JSON.parse(readFileSync(join(EXTRACTORS, folder, file), 'utf8')) as Corpus,
  }));

// ---------------------------------------------------------------------------------------------
// Text helpers

/** NFC, lower case, diacritics and đ removed, whitespace collapsed: how names are compared. */
function fold(text: string): string {
  return text
    .replace(/[\u200b-\u200d\u2060\ufeff\u00ad]/g, '')
    .normalize('NFC')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐÐð]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Folded, with Markdown emphasis and every dash normalised, for "does the quote say it" checks. */
function foldQuote(text: string): string {
  const folded = fold(text.replace(/[*_]/g, ' ').replace(/[–—‐‑‒―−]/g, '-')).replace(/\s+/g, ' ');
  // OCR letters for digits inside a count ("l3/19", "1O/19") say the same number.
  return folded.replace(/(?<![a-z\d])[\dlio|]{1,2}\s*\/\s*[\dlio|]{1,2}(?![a-z\d])/g, (count) =>
    /\d/.test(count) ? count.replace(/[li|]/g, '1').replace(/o/g, '0') : count,
  );
}

function header(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return `Số: 12/BC-UBND\n\nLạng Sơn, ngày ${day} tháng ${month} năm ${year}\n\n`;
}

function unaccent(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đð]/g, 'd').replace(/[ĐÐ]/g, 'D');
}

type VariantName = 'nfc' | 'nfd' | 'unaccented' | 'crlf';
const VARIANTS: Array<{ name: VariantName; apply: (text: string) => string }> = [
  { name: 'nfc', apply: (text) => text },
  { name: 'nfd', apply: (text) => text.normalize('NFD') },
  { name: 'unaccented', apply: unaccent },
  { name: 'crlf', apply: (text) => text.replace(/\r?\n/g, '\r\n') },
];

function documentText(example: { text: string; date?: string }): string {
  return (example.date ? header(example.date) : '') + example.text;
}

function run(text: string, rule: string | undefined): Extraction {
  return extractStatements([{ page: 1, text, hasTextLayer: true }], rule === undefined ? undefined : rulesNamed([rule]));
}

function title(prefix: string, text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `${prefix} ${flat.length > 90 ? `${flat.slice(0, 87)}...` : flat}`;
}

// ---------------------------------------------------------------------------------------------
// Comparing

const PLACE_FIELDS = new Set(['commune', 'district', 'province']);
const NAME_ARRAYS = new Set(['communes']);

function actualField(statement: Statement, field: string): unknown {
  if (PLACE_FIELDS.has(field)) return statement.place[field as 'commune' | 'district' | 'province'];
  return (statement as unknown as Record<string, unknown>)[field];
}

function sameValue(field: string, expected: unknown, actual: unknown): boolean {
  if (expected === null || actual === null || actual === undefined) return expected === actual || (expected === null && actual === undefined);
  if (PLACE_FIELDS.has(field)) return typeof actual === 'string' && fold(actual) === fold(String(expected));
  if (NAME_ARRAYS.has(field)) {
    if (!Array.isArray(expected) || !Array.isArray(actual)) return false;
    return JSON.stringify(expected.map((n) => fold(String(n)))) === JSON.stringify(actual.map((n) => fold(String(n))));
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return false;
    const sort = (values: unknown[]) => values.map((v) => JSON.stringify(v)).sort();
    return JSON.stringify(sort(expected)) === JSON.stringify(sort(actual));
  }
  return JSON.stringify(expected) === JSON.stringify(actual);
}

function matches(expected: Expected, statement: Statement): boolean {
  return Object.entries(expected).every(([field, value]) => sameValue(field, value, actualField(statement, field)));
}

/** One line per statement, for failure messages. */
function describeStatement(statement: Statement, text: string): string {
  const { kind, place, level, criteriaSet, assessment, asOf, rule } = statement;
  const specific: Record<string, unknown> = {};
  if (statement.kind === 'commune_count') Object.assign(specific, { met: statement.met, total: statement.total });
  if (statement.kind === 'criteria_list')
    Object.assign(specific, { status: statement.status, criteria: statement.criteria, statedCount: statement.statedCount });
  if (statement.kind === 'indicator_list')
    Object.assign(specific, { status: statement.status, indicators: statement.indicators, statedCount: statement.statedCount });
  if (statement.kind === 'district_aggregate')
    Object.assign(specific, {
      metric: statement.metric,
      value: statement.value,
      of: statement.of,
      nCriteria: statement.nCriteria,
      communes: statement.communes,
    });
  if (statement.kind === 'target') Object.assign(specific, { year: statement.year, count: statement.count, communes: statement.communes });
  const quote = statement.citations
    .map((c) => text.slice(c.start, c.end))
    .join(' … ')
    .replace(/\s+/g, ' ');
  return `${kind} ${JSON.stringify({ ...specific, commune: place.commune, district: place.district, level, criteriaSet, assessment, asOf, rule })} «${quote.slice(0, 100)}»`;
}

function describeAll(extraction: Extraction, text: string): string {
  const lines = extraction.statements.map((s) => `    ${describeStatement(s, text)}`);
  const flags = extraction.flags.map((f) => `    FLAG ${f.type}: ${f.message}`);
  return [...lines, ...flags].join('\n') || '    (nothing extracted)';
}

// ---------------------------------------------------------------------------------------------
// Citations

/** "09" and "9" are the same number; a decimal may be written with a comma or a point. */
function numberPattern(value: number): string {
  if (Number.isInteger(value)) return `(?<![\\d.,])0*${value}(?!\\d|[.,]\\d)`;
  const [whole, fraction] = String(value).split('.');
  return `(?<![\\d.,])0*${whole}[.,]${fraction}0*(?!\\d)`;
}

function says(quote: string, pattern: string): boolean {
  return new RegExp(pattern).test(quote);
}

function indicatorCovered(quote: string, code: string): boolean {
  if (says(quote, `(?<![\\d.])${code.replace('.', '\\.')}(?!\\d)`)) return true;
  const [criterion, sub] = code.split('.').map(Number) as [number, number];
  const written = [...quote.matchAll(new RegExp(`(?<![\\d.])${criterion}\\.(\\d{1,2})(?!\\d)`, 'g'))].map((m) => Number(m[1]));
  return written.some((low) => low < sub) && written.some((high) => high > sub);
}

/** What a statement's quote must contain: the numbers and names it reports. */
function missingFromQuote(statement: Statement, quote: string): string[] {
  const missing: string[] = [];
  const need = (ok: boolean, what: string) => {
    if (!ok) missing.push(what);
  };
  switch (statement.kind) {
    case 'commune_count':
      if (statement.rule === 'commune_count.met_of_total') {
        need(says(quote, `${numberPattern(statement.met)}\\s*(?:/|tren)\\s*0*${statement.total}(?!\\d)`), `${statement.met}/${statement.total}`);
      } else {
        need(says(quote, numberPattern(statement.met)), String(statement.met));
        // A commune read from a group is cited with its name; one the text was about may be named sentences before.
        if (statement.place.commune && /group|named_in/.test(statement.rule)) need(quote.includes(fold(statement.place.commune)), statement.place.commune);
      }
      break;
    case 'criteria_list':
      for (const item of statement.items) {
        if (statement.rule.startsWith('criteria_list.numbered')) need(says(quote, numberPattern(item.number)), `criterion ${item.number}`);
        else if (item.name) need(quote.includes(fold(item.name)), item.name);
      }
      break;
    case 'indicator_list':
      for (const code of statement.indicators) need(indicatorCovered(quote, code), `indicator ${code}`);
      break;
    case 'district_aggregate':
      need(says(quote, numberPattern(statement.value)), String(statement.value));
      if (statement.of !== null) need(says(quote, numberPattern(statement.of)), String(statement.of));
      for (const name of statement.communes ?? []) need(quote.includes(fold(name)), name);
      break;
    case 'target':
      if (statement.count !== null) need(says(quote, numberPattern(statement.count)), String(statement.count));
      for (const name of statement.communes) need(quote.includes(fold(name)), name);
      break;
  }
  return missing;
}

function checkCitations(extraction: Extraction, text: string, variant: VariantName): void {
  for (const statement of extraction.statements) {
    const where = describeStatement(statement, text);
    expect(statement.citations.length, `no citation: ${where}`).toBeGreaterThan(0);
    const quotes = statement.citations.map((citation) => {
      expect(citation.page, `citation page: ${where}`).toBe(1);
      expect(
        citation.start >= 0 && citation.end <= text.length && citation.start < citation.end,
        `citation range ${citation.start}-${citation.end}: ${where}`,
      ).toBe(true);
      const quote = text.slice(citation.start, citation.end);
      expect(quote.trim(), `empty citation: ${where}`).not.toBe('');
      // A citation must not cut a letter from its accents (NFD input).
      expect(/^\p{M}/u.test(quote), `citation starts inside a letter: ${where}`).toBe(false);
      expect(/^\p{M}/u.test(text.slice(citation.end, citation.end + 1)), `citation ends inside a letter: ${where}`).toBe(false);
      return quote;
    });
    if (variant === 'nfc') {
      const missing = missingFromQuote(statement, foldQuote(quotes.join(' ')));
      expect(missing, `the quote does not contain what the statement says: ${where}`).toEqual([]);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Metadata and flags

const DEFAULT_ABSENT = ['number', 'date', 'place', 'signer'];

function metadataValue(extraction: Extraction, field: string): unknown {
  const metadata = extraction.metadata as unknown as Record<string, { value: unknown } | null>;
  if (field === 'signerName' || field === 'signerRole') {
    const signer = extraction.metadata.signer?.value;
    return signer ? (field === 'signerName' ? signer.name : signer.role) : null;
  }
  return metadata[field]?.value ?? null;
}

function sameMetadata(expected: unknown, actual: unknown, variant: VariantName): boolean {
  if (typeof expected === 'string' && typeof actual === 'string') {
    const clean = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();
    return variant === 'unaccented' ? fold(expected) === fold(actual) : clean(expected) === clean(actual);
  }
  return JSON.stringify(expected) === JSON.stringify(actual);
}

// ---------------------------------------------------------------------------------------------
// The tests

for (const { name, corpus } of CORPORA) {
  describe(`corpus ${name}`, () => {
    it('has enough examples', () => {
      expect(corpus.positive.length).toBeGreaterThanOrEqual(12);
      expect(corpus.negative.length).toBeGreaterThanOrEqual(8);
    });

    const positives = corpus.positive.flatMap((example, index) =>
      VARIANTS.map((variant) => ({
        title: title(`+${index + 1} [${variant.name}]${example.rule ? ` (rule ${example.rule} alone)` : ''}`, example.text),
        example,
        variant,
      })),
    );

    it.each(positives.map((entry) => [entry.title, entry] as const))('%s', (_title, { example, variant }) => {
      const text = variant.apply(documentText(example));
      const extraction = run(text, example.rule);
      const context = `${example.note ?? ''}\n  input (${variant.name}): ${JSON.stringify(text.slice(0, 300))}\n  extracted:\n${describeAll(extraction, text)}`;

      for (const expected of example.expect ?? []) {
        const found = extraction.statements.some((statement) => matches(expected, statement));
        expect(found, `expected ${JSON.stringify(expected)}\n  ${context}`).toBe(true);
      }
      for (const [field, value] of Object.entries(example.expectMetadata ?? {})) {
        const actual = metadataValue(extraction, field);
        expect(
          sameMetadata(value, actual, variant.name),
          `metadata.${field}: expected ${JSON.stringify(value)}, got ${JSON.stringify(actual)}\n  ${context}`,
        ).toBe(true);
      }
      for (const expected of example.expectFlags ?? []) {
        const found = extraction.flags.some((flag) =>
          Object.entries(expected).every(([field, value]) => JSON.stringify((flag as unknown as Record<string, unknown>)[field]) === JSON.stringify(value)),
        );
        expect(found, `expected flag ${JSON.stringify(expected)}\n  ${context}`).toBe(true);
      }
      checkCitations(extraction, text, variant.name);
    });

    const negatives = corpus.negative.flatMap((example, index) =>
      VARIANTS.map((variant) => ({
        title: title(`-${index + 1} [${variant.name}]${example.rule ? ` (rule ${example.rule} alone)` : ''}`, example.text),
        example,
        variant,
      })),
    );

    it.each(negatives.map((entry) => [entry.title, entry] as const))('%s', (_title, { example, variant }) => {
      const text = variant.apply(documentText(example));
      const extraction = run(text, example.rule);
      const context = `(${example.why})\n  input (${variant.name}): ${JSON.stringify(text.slice(0, 300))}\n  extracted:\n${describeAll(extraction, text)}`;

      const unwanted = extraction.statements.filter((statement) => corpus.kinds.includes(statement.kind));
      expect(
        unwanted.map((s) => describeStatement(s, text)),
        `must yield no ${corpus.kinds.join('/')} ${context}`,
      ).toEqual([]);
      if (name.startsWith('consistency')) {
        expect(
          extraction.flags.map((f) => `${f.type}: ${f.message}`),
          `must yield no flag ${context}`,
        ).toEqual([]);
      }
      if (name.startsWith('metadata')) {
        for (const field of example.absent ?? DEFAULT_ABSENT) {
          expect(metadataValue(extraction, field), `metadata.${field} must be null ${context}`).toBeNull();
        }
      }
      checkCitations(extraction, text, variant.name);
    });
  });
}
