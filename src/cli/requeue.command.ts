import { closeDatabase, DocumentRepository } from '../../db/index.js';
import { extractJob } from '../../queues/job-catalogue.js';
import { blobStoreFor } from '../pipeline/embedded-ingestion.js';
import { openCommandDatabase } from './open-database.js';
import { bullmqPipeline } from './queue-context.js';
import { printOut } from './terminal-text.js';

/**
 * `ntm requeue [--document ID|SHA256]`: puts every document that is not done (or the one given)
 * back on the queue: a failed job is retried, a pending one left alone, a lost one added again.
 */
export async function runRequeue(options: { db?: string; document?: string }): Promise<number> {
  const { db, config, databasePath } = openCommandDatabase(options);
  const documents = new DocumentRepository(db);
  const blobs = blobStoreFor(config, databasePath);
  const pipeline = bullmqPipeline(config);
  try {
    const targets = options.document ? [findDocument(documents, options.document)] : documents.unfinished();
    if (targets.length === 0) process.stdout.write('nothing to requeue: every document is done\n');
    if (targets.length > 0) await pipeline.connect();
    let missing = 0;
    for (const document of targets) {
      if (!(await blobs.hasUpload(document.sha256))) {
        missing += 1;
        printOut(`cannot requeue ${document.fileName}: its upload is not in the blob store ${blobs.root}\n`);
        continue;
      }
      documents.setStatus(document.id, 'queued');
      const result = await pipeline.requeue(extractJob({ documentId: document.id, sha256: document.sha256, fileName: document.fileName }));
      printOut(`${result.padEnd(8)} ${document.fileName} (document ${document.id})\n`);
    }
    return missing > 0 ? 1 : 0;
  } finally {
    await pipeline.close();
    closeDatabase(db);
  }
}

function findDocument(documents: DocumentRepository, key: string) {
  const document = /^\d+$/.test(key) ? documents.findById(Number(key)) : documents.findBySha256(key);
  if (!document) throw new Error(`No document ${key} in the database`);
  return document;
}
