import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DocumentRepository, DocumentRow } from '../../db/index.js';
import { extractStatements, RULES_VERSION } from '../../extractors/extract-statements.js';
import { isUnsupportedInputError, UnsupportedInputError } from '../errors/unsupported-input.error.js';
import { extractText } from '../text/extract-text.js';

export type IngestStatus = 'new' | 'reprocessed' | 'unchanged' | 'failed';

export interface IngestOutcome {
  path: string;
  status: IngestStatus;
  documentId: number | null;
  statements: number;
  flags: number;
  /** Why the file failed, naming the file and the problem. */
  error: string | null;
}

export interface IngestOptions {
  maxFileBytes: number;
}

/**
 * Ingests files one at a time: the same bytes twice are a no-op, a document extracted by an
 * older rules version is re-extracted from its stored pages, and a file that cannot be read is
 * stored as failed with its reason while the batch goes on.
 */
export class IngestService {
  constructor(
    private readonly documents: DocumentRepository,
    private readonly options: IngestOptions,
  ) {}

  async ingestFile(path: string): Promise<IngestOutcome> {
    const fileName = basename(path);
    const size = (await stat(path)).size;
    const tooLarge = size > this.options.maxFileBytes;
    // A file over the limit is hashed from a stream, never read into memory whole.
    const bytes = tooLarge ? null : await readFile(path);
    const sha256 = bytes ? createHash('sha256').update(bytes).digest('hex') : await hashFile(path);
    const { row } = this.documents.register({ sha256, fileName, sizeBytes: size });

    if (row.status === 'done' && row.rulesVersion === RULES_VERSION) return this.outcome(path, 'unchanged', row.id);
    if (row.status === 'done') return this.reextract(path, row);
    if (!bytes) {
      const error = new UnsupportedInputError(fileName, 'too_large', `the file is ${megabytes(size)} MB, over the ${megabytes(this.options.maxFileBytes)} MB limit`);
      return this.fail(path, row, error);
    }
    this.documents.setStatus(row.id, 'processing');
    try {
      const text = await extractText(bytes, fileName, { maxBytes: this.options.maxFileBytes });
      const extraction = extractStatements(text.pages);
      this.documents.saveExtraction(row.id, { fileKind: text.kind, mime: text.mime, pages: text.pages, extraction, rulesVersion: RULES_VERSION });
      return this.outcome(path, 'new', row.id);
    } catch (error) {
      return this.fail(path, row, error);
    }
  }

  /** Rules changed: re-read the stored pages, replace the machine statements in one transaction. */
  private reextract(path: string, row: DocumentRow): IngestOutcome {
    const pages = this.documents.loadPages(row.id);
    const extraction = extractStatements(pages);
    this.documents.saveExtraction(row.id, { fileKind: row.fileKind ?? 'txt', mime: row.mime ?? '', extraction, rulesVersion: RULES_VERSION });
    return this.outcome(path, 'reprocessed', row.id);
  }

  private fail(path: string, row: DocumentRow, error: unknown): IngestOutcome {
    const reason = isUnsupportedInputError(error) ? error.reason : 'internal';
    const message = isUnsupportedInputError(error) ? error.message : `Cannot process ${basename(path)}: ${error instanceof Error ? error.message : String(error)}`;
    this.documents.markFailed(row.id, { reason, message });
    return { path, status: 'failed', documentId: row.id, statements: 0, flags: 0, error: message };
  }

  private outcome(path: string, status: IngestStatus, documentId: number): IngestOutcome {
    const counts = this.documents.countStatements([documentId]);
    return { path, status, documentId, ...counts, error: null };
  }
}

function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
