import { CorrectionRepository } from '../../db/correction.repository.js';
import { closeDatabase, StatementQueries } from '../../db/index.js';
import { blobStoreFor } from '../pipeline/embedded-ingestion.js';
import { exportWorkbook } from '../report/export-workbook.js';
import { streamExport } from '../report/export-stream.js';
import type { ExportFormat, TextExportFormat } from '../report/export-writer.js';
import { writeGoldExport, type ReviewedDocument } from '../report/gold-export.js';
import { openCommandDatabase } from './open-database.js';
import { streamOutput, writeOutput } from './write-output.js';

export async function runExport(options: { db?: string; format: ExportFormat | 'gold'; bom?: boolean; out?: string; reviewed?: boolean }): Promise<void> {
  if (options.format === 'gold') return runGoldExport(options);
  const { db } = openCommandDatabase(options, { readonly: true });
  try {
    const queries = new StatementQueries(db);
    if (options.format === 'xlsx') writeOutput(await exportWorkbook(queries.statements(), queries.flags()), { ...options, format: options.format });
    else await streamOutput((output) => streamExport(queries, options.format as TextExportFormat, output, { bom: options.bom }), options);
  } finally {
    closeDatabase(db);
  }
}

/** `--format gold --reviewed --out DIR`: the reviewed documents as an evaluation set for `ntm eval`. */
async function runGoldExport(options: { db?: string; out?: string; reviewed?: boolean }): Promise<void> {
  if (!options.reviewed) throw new Error('--format gold needs --reviewed (only reviewed documents make a gold set)');
  if (!options.out) throw new Error('--format gold needs --out DIR (docs/ and gold/ are written there)');
  const { db, config, databasePath } = openCommandDatabase(options, { readonly: true });
  try {
    const corrections = new CorrectionRepository(db);
    const queries = new StatementQueries(db);
    const reviewedHashes = new Set([...corrections.latest().keys()].map((key) => key.split('|')[0]));
    const added = corrections.added();
    for (const row of added) reviewedHashes.add(row.documentSha256);
    const statements = queries.statements();
    const blobs = blobStoreFor(config, databasePath);
    const documents: ReviewedDocument[] = [];
    for (const document of queries.documents().filter((d) => d.status === 'done' && reviewedHashes.has(d.sha256))) {
      documents.push({
        id: document.id,
        fileName: document.fileName,
        bytes: await blobs.getUpload(document.sha256),
        statements: statements.filter((s) => s.document.id === document.id),
        added: added.filter((c) => c.documentSha256 === document.sha256),
      });
    }
    const written = writeGoldExport(options.out, documents);
    process.stdout.write(
      `${written.documents} reviewed document(s), ${written.statements} gold statement(s) written to ${options.out}/docs and ${options.out}/gold\n`,
    );
  } finally {
    closeDatabase(db);
  }
}
