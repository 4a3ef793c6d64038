/**
 * The persist stage reads the extract stage's result back from the blob store and checks it
 * with a zod schema: a corrupt, foreign or mislabelled blob fails the job at once with a reason
 * naming the result and the document's file, and nothing stored changes.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeDatabase, DocumentRepository, openDatabase } from '../db/index.js';
import { RULES_VERSION } from '../extractors/extract-statements.js';
import { projectPath } from '../extractors/util/project-root.js';
import { extractJob, JobName } from '../queues/job-catalogue.js';
import { isInvalidJobError } from '../queues/invalid-job.error.js';
import { blobStoreFor, embeddedIngestion } from '../src/pipeline/embedded-ingestion.js';
import { extractDocument } from '../src/pipeline/extract-document.js';
import { createPipelineHandlers } from '../src/pipeline/pipeline.handlers.js';
import { DEFAULT_MAX_BYTES } from '../src/text/extract-text.js';
import { useTempFolder } from './support/temp-folder.js';

const newTempFolder = useTempFolder();
const context = { reportProgress: async () => {}, finalAttempt: true };

describe('the extract result read back from the blob store', () => {
  it('persists a valid result and refuses a corrupt, a foreign or a mislabelled one with a clear reason', async () => {
    const folder = newTempFolder();
    const databasePath = join(folder, 'ntm.sqlite');
    const seed = join(folder, 'report.txt');
    copyFileSync(projectPath('fixtures', 'seeds', '001_f3406501ba6aec7a.txt'), seed);
    const db = openDatabase(databasePath);
    try {
      const service = embeddedIngestion(db, databasePath, { blobDirectory: undefined, maxFileBytes: DEFAULT_MAX_BYTES, jobAttempts: 1, jobBackoffMs: 0 });
      expect((await service.ingestFile(seed)).status).toBe('new');
      const documents = new DocumentRepository(db);
      const document = documents.findById(1)!;
      const blobs = blobStoreFor({ blobDirectory: undefined }, databasePath);
      const handlers = createPipelineHandlers({ blobs, maxFileBytes: DEFAULT_MAX_BYTES, documents });
      const key = `${document.sha256}.rules-${RULES_VERSION}`;
      const resultPath = blobs.resultPath(key);
      // A small result travels inside its persist job; a large one through the blob store, as here.
      const valid = JSON.stringify(await extractDocument({ sha256: document.sha256, fileName: document.fileName }, { blobs, maxFileBytes: DEFAULT_MAX_BYTES }));
      mkdirSync(dirname(resultPath), { recursive: true });
      writeFileSync(resultPath, valid);
      const stored = () =>
        JSON.stringify([
          db.$client.prepare('select count(*) as n from statements').get(),
          db.$client.prepare('select page_no, text from pages order by page_no').all(),
          db.$client.prepare('select status, error from documents').all(),
        ]);
      const before = stored();
      const persist = (resultKey = key) =>
        handlers[JobName.PersistDocument].run({ outcome: 'extracted', documentId: document.id, sha256: document.sha256, resultKey }, context);
      const refusal = async (resultKey = key): Promise<string> => {
        const error = await persist(resultKey).then(
          () => null,
          (caught: unknown) => caught,
        );
        expect(isInvalidJobError(error), String(error)).toBe(true);
        return (error as Error).message;
      };

      // The extract job, built in one place, names the document's bytes and file.
      expect(extractJob({ documentId: document.id, sha256: document.sha256, fileName: document.fileName })).toEqual({
        name: JobName.ExtractDocument,
        payload: { documentId: document.id, sha256: document.sha256, fileName: 'report.txt' },
      });

      writeFileSync(resultPath, valid.slice(0, 200));
      expect(await refusal()).toMatch(new RegExp(`^result ${key} of report\\.txt in the blob store is not JSON \\(.+\\): nothing persisted`));

      const foreign = JSON.parse(valid) as { pages: Array<Record<string, unknown>>; extraction: { flags: Array<Record<string, unknown>> } };
      foreign.pages[0]!.text = 42;
      writeFileSync(resultPath, JSON.stringify(foreign));
      expect(await refusal()).toBe(
        `result ${key} of report.txt in the blob store is not an extraction result (pages.0.text: Invalid input: expected string, received number): nothing persisted; extract it again with ntm requeue`,
      );

      writeFileSync(resultPath, JSON.stringify({ statements: [] }));
      expect(await refusal()).toContain('is not an extraction result (fileKind: ');

      const otherKey = `${document.sha256}.rules-0`;
      writeFileSync(blobs.resultPath(otherKey), valid);
      expect(await refusal(otherKey)).toBe(
        `result ${otherKey} of report.txt in the blob store was written by rules version "${RULES_VERSION}", not the one its key names: nothing persisted`,
      );
      expect(stored()).toBe(before);

      // The valid result persists again (the same statements).
      writeFileSync(resultPath, valid);
      await expect(persist()).resolves.toBeNull();
      expect(stored()).toBe(before);

      // Inline in the job, the result is checked by the same schema and refused the same way.
      const inline = (result: unknown) =>
        handlers[JobName.PersistDocument].run(
          { outcome: 'extracted', documentId: document.id, sha256: document.sha256, result: result as Record<string, unknown> },
          context,
        );
      const inlineRefusal = await inline(foreign).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(isInvalidJobError(inlineRefusal)).toBe(true);
      expect((inlineRefusal as Error).message).toBe(
        'the result of report.txt in its persist job is not an extraction result (pages.0.text: Invalid input: expected string, received number): nothing persisted; extract it again with ntm requeue',
      );
      expect(stored()).toBe(before);
      await expect(inline(JSON.parse(valid))).resolves.toBeNull();
      expect(stored()).toBe(before);
    } finally {
      closeDatabase(db);
    }
  });
});
