import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { extractStatements } from '../../extractors/extract-statements.js';
import type { Statement } from '../../extractors/statement.js';
import { DEFAULT_MAX_BYTES, extractText } from '../../src/text/extract-text.js';

/** A statement without its offsets and confidence: what must be the same in every format of a document. */
export function compactStatement(statement: Statement): Record<string, unknown> {
  const { index: _index, citations: _citations, confidence: _confidence, place, ...rest } = statement;
  return { ...place, ...rest };
}

export interface CompactExtraction {
  statements: Array<Record<string, unknown>>;
  flags: Array<{ type: string; statements: number[] }>;
}

/** Reads a fixture through the real text layer and extracts its statements. */
export async function extractFixture(path: string): Promise<CompactExtraction> {
  const text = await extractText(await readFile(path), basename(path), { maxBytes: DEFAULT_MAX_BYTES });
  const { statements, flags } = extractStatements(text.pages);
  return {
    statements: statements.map(compactStatement),
    flags: flags.map((flag) => ({ type: flag.type, statements: flag.statements })),
  };
}
