/**
 * The persist stage writes the documents whose jobs are ready together in one transaction, each
 * in its own savepoint: a document the database refuses fails alone, with an error naming its
 * file, and the others of the batch are stored.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeDatabase, DocumentRepository, openDatabase } from '../db/index.js';
import { projectPath } from '../extractors/util/project-root.js';
import { JobName } from '../queues/job-catalogue.js';
import { InProcessQueue } from '../queues/in-process.queue.js';
import { BlobStore } from '../src/pipeline/blob-store.js';
import { extractDocument, type ExtractionResult } from '../src/pipeline/extract-document.js';
import { pipelineFailureRules } from '../src/pipeline/failure-rules.js';
import { PersistBatcher } from '../src/pipeline/persist-batcher.js';
import { createPipelineHandlers } from '../src/pipeline/pipeline.handlers.js';
import { DEFAULT_MAX_BYTES } from '../src/text/extract-text.js';
import { useTempFolder } from './support/temp-folder.js';

const newTempFolder = useTempFolder();
const seeds = ['001_f3406501ba6aec7a.txt', '002_208071814d246b50.txt', '003_208c7acc8bb6c444.txt'];

/** Three registered documents with their real extraction results. */
async function threeDocuments(folder: string) {
  const db = openDatabase(join(folder, 'ntm.sqlite'));
  const documents = new DocumentRepository(db);
  const blobs = new BlobStore(join(folder, 'blobs'));
  const names = ['first.txt', 'broken.txt', 'third.txt'];
  const registered = [];
  for (const [index, seed] of seeds.entries()) {
    const path = join(folder, names[index] ?? '');
    copyFileSync(projectPath('fixtures', 'seeds', seed), path);
    const bytes = readFileSync(path);
    const sha256 = await blobs.putUpload(bytes);
    const { row } = documents.register({ sha256, fileName: names[index] ?? '', sizeBytes: bytes.length });
    const result = await extractDocument({ sha256, fileName: row.fileName }, { blobs, maxFileBytes: DEFAULT_MAX_BYTES });
    registered.push({ row, result });
  }
  return { db, documents, blobs, registered };
}

/** A result the schema accepts but the database refuses: two pages numbered 1 (pages are unique per document). */
function withDuplicatePage(result: ExtractionResult): ExtractionResult {
  const page = result.pages[0];
  if (!page) throw new Error('the seed has no page');
  return { ...result, pages: [page, { ...page }] };
}

const statusOf = (db: ReturnType<typeof openDatabase>) =>
  db.$client
    .prepare('select file_name, status, error, (select count(*) from statements s where s.document_id = d.id) as statements from documents d order by id')
    .all() as Array<{
    file_name: string;
    status: string;
    error: string | null;
    statements: number;
  }>;

describe('the persist stage in batches', () => {
  it('writes the documents ready together in one transaction, and fails only the one the database refuses, naming its file', async () => {
    const { db, documents, registered } = await threeDocuments(newTempFolder());
    try {
      const batcher = new PersistBatcher(documents);
      const outcomes = await Promise.all(
        registered.map(({ row, result }) =>
          batcher.persist({
            outcome: 'extracted',
            documentId: row.id,
            fileName: row.fileName,
            result: row.fileName === 'broken.txt' ? withDuplicatePage(result) : result,
          }),
        ),
      );
      expect(batcher.stats).toEqual({ documents: 3, transactions: 1 });
      expect(outcomes.map((outcome) => outcome.stored)).toEqual([true, false, true]);
      const refused = outcomes[1];
      expect(refused?.stored === false && refused.error.message).toBe(
        'Cannot store broken.txt in the database: UNIQUE constraint failed: pages.document_id, pages.page_no',
      );

      const rows = statusOf(db);
      expect(rows.map((row) => [row.file_name, row.status])).toEqual([
        ['first.txt', 'done'],
        ['broken.txt', 'failed'],
        ['third.txt', 'done'],
      ]);
      expect(rows[1]?.error).toBe('Cannot store broken.txt in the database: UNIQUE constraint failed: pages.document_id, pages.page_no');
      // The refused document's rows were rolled back with its savepoint; the others have all theirs.
      expect(rows[1]?.statements).toBe(0);
      expect(db.$client.prepare('select count(*) from pages where document_id = ?').pluck().get(registered[1]?.row.id)).toBe(0);
      expect(rows[0]?.statements).toBe(registered[0]?.result.extraction.statements.length);
      expect(rows[2]?.statements).toBe(registered[2]?.result.extraction.statements.length);
    } finally {
      closeDatabase(db);
    }
  });

  it('records a refused document as failed through the queue instead of retrying it or leaving it queued', async () => {
    const { db, documents, blobs, registered } = await threeDocuments(newTempFolder());
    try {
      const handlers = createPipelineHandlers({ blobs, maxFileBytes: DEFAULT_MAX_BYTES, documents });
      const queue = new InProcessQueue(handlers, { attempts: 3, backoffMs: 0, failures: pipelineFailureRules });
      for (const { row, result } of registered) {
        const stored = row.fileName === 'broken.txt' ? withDuplicatePage(result) : result;
        await queue.enqueue({
          name: JobName.PersistDocument,
          payload: { outcome: 'extracted', documentId: row.id, sha256: row.sha256, result: stored as unknown as Record<string, unknown> },
        });
      }
      expect(statusOf(db).map((row) => [row.file_name, row.status, row.error])).toEqual([
        ['first.txt', 'done', null],
        ['broken.txt', 'failed', 'Cannot store broken.txt in the database: UNIQUE constraint failed: pages.document_id, pages.page_no'],
        ['third.txt', 'done', null],
      ]);
    } finally {
      closeDatabase(db);
    }
  });
});
