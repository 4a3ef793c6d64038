/**
 * The export contract three ways: the README's table, the `ExportRecord` type (zod schemas the
 * export's types are inferred from) and the records `ntm export` really writes for the seeds and
 * the after-2025 fixtures, reviewed statements included. A field added to one and not the others
 * fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CorrectionRepository } from '../db/correction.repository.js';
import { closeDatabase, openDatabase, StatementQueries } from '../db/index.js';
import { FLAG_TYPES } from '../extractors/statement.js';
import { projectPath } from '../extractors/util/project-root.js';
import { exportRecord, flagRecord } from '../src/report/export-record.schema.js';
import { ntm } from './support/run-cli.js';
import { useTempFolder } from './support/temp-folder.js';

/** A field as the README's table writes it: `name`, `name?: …` when it may be absent, `name {a, b}` or `name [{a, b}]` with its own fields. */
interface ContractField {
  optional: boolean;
  fields: Map<string, ContractField> | null;
}

/** The README's "Export contract" section. */
function contractSection(): string {
  const readme = readFileSync(projectPath('README.md'), 'utf8');
  const start = readme.indexOf('## Export contract');
  expect(start, 'README has an "Export contract" section').toBeGreaterThan(-1);
  return readme.slice(start, readme.indexOf('\n## ', start + 1));
}

/** The table's rows by their label ("every record", "every statement", `kind "x"`, "reviewed statements"), continuation lines joined. */
function contractRows(section: string): Map<string, string> {
  const table = section.match(/```\n([\s\S]*?)```/)?.[1];
  if (!table) throw new Error('the Export contract section has no table (a ``` block)');
  const rows = new Map<string, string>();
  let label: string | null = null;
  for (const line of table.split('\n')) {
    const row = line.match(/^(every record|every statement|kind "\w+"|reviewed statements):\s+(.*)$/);
    if (row) {
      label = row[1];
      rows.set(label, row[2]);
    } else if (label && /^\s+\S/.test(line)) rows.set(label, `${rows.get(label)} ${line.trim()}`);
    else if (line.trim()) throw new Error(`README contract table: cannot read the line "${line}"`);
  }
  return rows;
}

/** Splits at the commas outside brackets, braces and parentheses. */
function topLevelParts(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let part = '';
  for (const char of text) {
    if ('{[('.includes(char)) depth++;
    if ('}])'.includes(char)) depth--;
    if (char === ',' && depth === 0) {
      parts.push(part.trim());
      part = '';
    } else part += char;
  }
  if (part.trim()) parts.push(part.trim());
  return parts;
}

function parseFields(text: string): Map<string, ContractField> {
  const fields = new Map<string, ContractField>();
  for (const part of topLevelParts(text)) {
    const name = part.match(/^(\w+)(\?)?/);
    if (!name) throw new Error(`README contract table: "${part}" does not start with a field name`);
    // Own fields only when the braces follow the name (`document {…}`, `items [{…}]`), not inside a value's example.
    const nested = part.slice(name[0].length).match(/^:?\s*\[?\{(.*)\}\]?/);
    fields.set(name[1], { optional: Boolean(name[2]), fields: nested ? parseFields(nested[1]) : null });
  }
  return fields;
}

/** The object a field holds, through null, absence and lists. */
function objectShape(schema: z.ZodType): Record<string, z.ZodType> | null {
  if (schema instanceof z.ZodObject) return schema.shape as Record<string, z.ZodType>;
  if (schema instanceof z.ZodNullable || schema instanceof z.ZodOptional) return objectShape(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodArray) return objectShape(schema.element as z.ZodType);
  return null;
}

/** Lists every difference between the README's fields and a schema's shape, by dotted path. */
function differences(readme: Map<string, ContractField>, shape: Record<string, z.ZodType>, path: string): string[] {
  const found: string[] = [];
  for (const [name, field] of readme) {
    const schema = shape[name];
    if (!schema) {
      found.push(`${path}${name}: in the README, not in the type`);
      continue;
    }
    const optional = schema.safeParse(undefined).success;
    if (optional !== field.optional) found.push(`${path}${name}: ${optional ? 'may be absent in the type' : 'always present in the type'}, not in the README`);
    const inner = objectShape(schema);
    if (field.fields && inner) found.push(...differences(field.fields, inner, `${path}${name}.`));
    else if (field.fields) found.push(`${path}${name}: the README gives it fields, the type does not`);
  }
  for (const name of Object.keys(shape)) if (!readme.has(name)) found.push(`${path}${name}: in the type, not in the README`);
  return found;
}

function merged(...groups: Array<Map<string, ContractField> | undefined>): Map<string, ContractField> {
  return new Map(groups.flatMap((group) => [...(group ?? [])]));
}

describe('the README export contract table', () => {
  const section = contractSection();
  const rows = new Map([...contractRows(section)].map(([label, text]) => [label, parseFields(text)]));

  it('names the same kinds as the type', () => {
    const readmeKinds = [...rows.keys()].flatMap((label) => label.match(/^kind "(\w+)"$/)?.[1] ?? []);
    expect(readmeKinds.sort()).toEqual(exportRecord.options.map((variant) => variant.shape.kind.value).sort());
  });

  for (const variant of exportRecord.options) {
    const kind = variant.shape.kind.value;
    it(`lists exactly the fields of kind "${kind}", nested ones and which may be absent included`, () => {
      const readme =
        variant === flagRecord
          ? merged(rows.get('every record'), rows.get(`kind "${kind}"`))
          : merged(rows.get('every record'), rows.get('every statement'), rows.get(`kind "${kind}"`), rows.get('reviewed statements'));
      expect(differences(readme, variant.shape as Record<string, z.ZodType>, '')).toEqual([]);
    });
  }

  it('names every flag type', () => {
    expect(FLAG_TYPES.filter((type) => !section.includes(`\`${type}\``))).toEqual([]);
  });

  it('finds a field missing from the README (the check can fail)', () => {
    const withoutMet = merged(rows.get('every record'), rows.get('every statement'), rows.get('reviewed statements'));
    const commune = exportRecord.options.find((variant) => variant.shape.kind.value === 'commune_count')!;
    expect(differences(withoutMet, commune.shape as Record<string, z.ZodType>, '')).toContain('met: in the type, not in the README');
  });
});

describe('records ntm export writes', () => {
  const tempFolder = useTempFolder();

  it('fit the type, field for field, for the seeds and the after-2025 fixtures, reviewed or not', async () => {
    const db = join(tempFolder(), 'contract.sqlite');
    expect((await ntm(['ingest', 'fixtures/seeds', 'fixtures/after-2025', '--db', db])).code).toBe(0);

    // One statement corrected, one rejected, as a reviewer would (the server appends the same rows).
    const database = openDatabase(db);
    const [first, second] = new StatementQueries(database).statements().filter((s) => s.kind === 'commune_count');
    const corrections = new CorrectionRepository(database);
    const review = { reviewer: 'contract-test', note: null };
    corrections.append({
      documentSha256: first.document.sha256,
      statementFingerprint: first.fingerprint,
      action: 'replace',
      payload: { kind: first.kind, met: 17 },
      ...review,
    });
    corrections.append({ documentSha256: second.document.sha256, statementFingerprint: second.fingerprint, action: 'reject', payload: null, ...review });
    closeDatabase(database);

    const exported = await ntm(['export', '--db', db]);
    expect(exported.code).toBe(0);
    const records = exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    const misfits = records.flatMap((record, line) => {
      const parsed = exportRecord.safeParse(record);
      return parsed.success ? [] : [`line ${line + 1}: ${z.prettifyError(parsed.error)}`];
    });
    expect(misfits).toEqual([]);

    const parsed = records.map((record) => exportRecord.parse(record));
    expect(new Set(parsed.map((record) => record.kind))).toEqual(new Set(exportRecord.options.map((variant) => variant.shape.kind.value)));
    expect(
      parsed.filter((record) => record.kind !== 'flag' && record.corrected === true).map((record) => record.kind === 'commune_count' && record.met),
    ).toEqual([17]);
    expect(parsed.filter((record) => record.kind !== 'flag' && record.rejected)).toHaveLength(1);
    expect(parsed.some((record) => record.kind !== 'flag' && record.continuedOn)).toBe(true);
    expect(parsed.some((record) => record.kind !== 'flag' && record.district?.former)).toBe(true);
  }, 240_000);
});
