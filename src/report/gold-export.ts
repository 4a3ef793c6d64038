import { mkdirSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { CorrectionRow } from '../../db/correction.repository.js';
import type { StatementRecord } from '../../db/index.js';
import { statementExport } from './export-records.js';

/** A document with what its reviewers made of it. */
export interface ReviewedDocument {
  id: number;
  fileName: string;
  bytes: Buffer;
  statements: StatementRecord[];
  added: CorrectionRow[];
}

const GOLD_KINDS = new Set(['commune_count', 'criteria_list', 'indicator_list', 'district_aggregate']);

/** One statement as the evaluation format has it (README, "Measuring extraction"). */
function goldStatement(record: Record<string, unknown>): Record<string, unknown> | null {
  const kind = record.kind as string;
  if (!GOLD_KINDS.has(kind)) return null;
  const commune = (record.commune as { name?: string } | null)?.name ?? null;
  const quote = (record.citation as { quote?: string } | null)?.quote ?? null;
  switch (kind) {
    case 'commune_count':
      return { kind, commune, met: record.met, total: record.total, quote };
    case 'criteria_list':
      return { kind, commune, status: record.status, criteria: record.criteria, quote };
    case 'indicator_list':
      return { kind, commune, status: record.status, indicators: record.indicators, quote };
    default:
      return {
        kind,
        metric: record.metric,
        value: record.value,
        quote,
        ...(record.of != null ? { of: record.of } : {}),
        ...(record.nCriteria != null ? { n_criteria: record.nCriteria } : {}),
        ...(record.communes != null ? { communes: record.communes } : {}),
        ...(record.level != null ? { level: record.level } : {}),
      };
  }
}

/**
 * `ntm export --format gold --reviewed`: every reviewed document as `docs/` + `gold/` in the
 * format `ntm eval` reads, so the office's own corrections become the next rules change's
 * test set. A document's gold is its statements with the reviews applied — rejected ones left
 * out, added ones in. File names are ours (`d<id>` and the extension), never the upload's.
 */
export function writeGoldExport(folder: string, documents: ReviewedDocument[]): { documents: number; statements: number } {
  mkdirSync(join(folder, 'docs'), { recursive: true });
  mkdirSync(join(folder, 'gold'), { recursive: true });
  let statements = 0;
  for (const document of documents) {
    const id = `d${document.id}`;
    const extension = extname(document.fileName)
      .toLowerCase()
      .replace(/[^.a-z0-9]/g, '')
      .slice(0, 8);
    const gold = [
      ...document.statements.filter((s) => s.review?.action !== 'reject').map((s) => goldStatement(statementExport(s))),
      ...document.added.map((c) =>
        goldStatement({ ...(c.payload ?? {}), commune: (c.payload?.commune as unknown) ?? null, citation: c.payload?.citation ?? null }),
      ),
    ].filter((s): s is Record<string, unknown> => s !== null);
    statements += gold.length;
    writeFileSync(join(folder, 'docs', `${id}${extension}`), document.bytes);
    writeFileSync(join(folder, 'gold', `${id}.json`), `${JSON.stringify({ doc: id, statements: gold }, null, 2)}\n`);
  }
  return { documents: documents.length, statements };
}
