import { extractStatements, RULES_VERSION, type Extraction } from '../../extractors/extract-statements.js';
import type { ExtractedPages, ExtractTextOptions } from '../text/extract-text.js';
import type { InputLimits } from '../text/input-limits.js';
import type { FileKind, PageText } from '../../extractors/text/page-text.js';
import type { BlobStore } from './blob-store.js';
import { sharedExtractionPool } from './pool/shared-pool.js';

/** What the extract stage hands to the persist stage. Plain data: it travels as JSON. */
export interface ExtractionResult {
  fileKind: FileKind;
  mime: string;
  pages: PageText[];
  extraction: Extraction;
  rulesVersion: string;
}

export interface ExtractInput {
  sha256: string;
  fileName: string;
}

export type ExtractProgress = (progress: { stage: 'text' | 'rules'; fileName: string; page?: number; pages?: number }) => void | Promise<void>;

/**
 * The CPU stage: upload bytes → pages → statements. Stateless (it reads only the blob store),
 * so it runs in any worker on any machine. Throws UnsupportedInputError for unusable input.
 */
export async function extractDocument(
  input: ExtractInput,
  dependencies: { blobs: BlobStore; maxFileBytes: number; limits?: InputLimits; onProgress?: ExtractProgress },
): Promise<ExtractionResult> {
  const bytes = await dependencies.blobs.getUpload(input.sha256);
  await dependencies.onProgress?.({ stage: 'text', fileName: input.fileName });
  const options = {
    maxBytes: dependencies.maxFileBytes,
    ...(dependencies.limits ? { limits: dependencies.limits } : {}),
    // Scanned pages take seconds each: report them one by one.
    onPageProgress: (page: number, pages: number) => void dependencies.onProgress?.({ stage: 'text', fileName: input.fileName, page, pages }),
  };
  const onRules = () => void dependencies.onProgress?.({ stage: 'rules', fileName: input.fileName });
  // The pool's threads do the CPU work (text, OCR, rules): this thread's event loop stays free for
  // the database, progress and a queue worker's lock renewal.
  const pool = sharedExtractionPool();
  const { text, extraction } = pool
    ? await pool.extract(bytes, input.fileName, { ...options, onRules })
    : await extractInThread(bytes, input.fileName, options, onRules);
  // OCR'd page images go to the blob store (content-addressed, shared by every worker); the
  // result names them, so it stays plain JSON and the database keeps only the words' boxes.
  const pages = [...text.pages];
  for (const image of text.pageImages) {
    const sha256 = await dependencies.blobs.putPageImage(image.jpeg);
    pages[image.page - 1] = { ...pages[image.page - 1]!, ocrImage: { sha256, width: image.width, height: image.height } };
  }
  return { fileKind: text.kind, mime: text.mime, pages, extraction, rulesVersion: RULES_VERSION };
}

/**
 * The same steps in this thread (tests run the sources, which a worker thread cannot load). The
 * readers are imported here, not above: with a pool, this thread never loads them (pdf.js,
 * mammoth…), and its threads start sooner.
 */
async function extractInThread(
  bytes: Buffer,
  fileName: string,
  options: ExtractTextOptions,
  onRules: () => void,
): Promise<{ text: ExtractedPages; extraction: Extraction }> {
  const { extractText } = await import('../text/extract-text.js');
  const text = await extractText(bytes, fileName, options);
  onRules();
  return { text, extraction: extractStatements(text.pages) };
}
