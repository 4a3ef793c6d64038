import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { DocumentRepository } from '../../db/index.js';
import { RULES_VERSION } from '../../extractors/extract-statements.js';
import { InputReadError } from '../errors/input-read.error.js';
import { UnsupportedInputError } from '../errors/unsupported-input.error.js';
import { BlobStore } from './blob-store.js';
import { describeFsError, type InputFile } from './list-input-files.js';

/**
 * What to do with an uploaded file once it is registered: extract it (a new or unfinished
 * document), read its stored pages again with the current rules (`reread`: done by an older
 * rules version; rereadDocument), or nothing.
 */
export type Registration =
  | { action: 'extract'; documentId: number; sha256: string; fileName: string; sizeBytes: number }
  | { action: 'reread'; documentId: number; sha256: string; fileName: string }
  | { action: 'unchanged'; documentId: number; sha256: string; fileName: string; concurrent?: boolean }
  | { action: 'refused'; documentId: number; sha256: string; fileName: string; error: string };

/**
 * The first stage, on the database host: hash the file, store its bytes in the blob store,
 * then commit a `queued` document row — in that order, so a crash or a Redis outage after this
 * point loses nothing (`ntm requeue` finds the row). The same bytes again are a no-op; a document
 * done by an older rules version is to be read again (`reread`). It registers only: a document's
 * results are written by the persist stage alone.
 */
export async function registerUpload(
  input: string | InputFile,
  dependencies: { documents: DocumentRepository; blobs: BlobStore; maxFileBytes: number },
): Promise<Registration> {
  const { documents, blobs, maxFileBytes } = dependencies;
  const { path: shown, fsPath } = typeof input === 'string' ? { path: input, fsPath: input } : input;
  const fileName = basename(shown);
  const size = await readInput(shown, async () => {
    const info = await stat(fsPath);
    // Checked again here: a file can be swapped for a FIFO after the folder was listed, and opening one blocks.
    if (!info.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTREG' });
    return info.size;
  });
  if (size > maxFileBytes) {
    // Hashed from a stream and never stored: a file over the limit is not read into memory.
    const sha256 = await readInput(shown, () => hashFile(fsPath));
    const { row } = documents.register({ sha256, fileName, sizeBytes: size });
    if (row.status === 'done') return { action: 'unchanged', documentId: row.id, sha256, fileName };
    const error = new UnsupportedInputError(fileName, 'too_large', `the file is ${megabytes(size)} MB, over the ${megabytes(maxFileBytes)} MB limit`).message;
    documents.markFailed(row.id, { reason: 'too_large', message: error });
    return { action: 'refused', documentId: row.id, sha256, fileName, error };
  }

  const bytes = await readInput(shown, () => readFile(fsPath));
  const sha256 = await blobs.putUpload(bytes);
  const { row, raced } = documents.register({ sha256, fileName, sizeBytes: size });
  // Another process registered the same bytes at the same moment: it extracts them.
  if (raced) return { action: 'unchanged', documentId: row.id, sha256, fileName, concurrent: true };
  if (row.status === 'done' && row.rulesVersion === RULES_VERSION) return { action: 'unchanged', documentId: row.id, sha256, fileName };
  if (row.status === 'done') return { action: 'reread', documentId: row.id, sha256, fileName };
  documents.setStatus(row.id, 'queued');
  return { action: 'extract', documentId: row.id, sha256, fileName, sizeBytes: size };
}

function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

async function readInput<T>(shown: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new InputReadError(shown, describeFsError(error), { cause: error });
  }
}

async function hashFile(path: string | Buffer): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
