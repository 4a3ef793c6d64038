import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { Extraction } from '../../../extractors/extract-statements.js';
import { UnsupportedInputError } from '../../errors/unsupported-input.error.js';
import { inputLimits, type InputLimits } from '../../text/input-limits.js';
import { chooseOcrEngine } from '../../text/ocr/choose-ocr-engine.js';
import { DEFAULT_PDF_OCR_DPI } from '../../text/ocr/ocr-engine.js';
import type { OcrOptions } from '../../text/ocr/recognize-pages.js';
import type { ExtractedPages, ReadDocument, RecognizedPages } from '../../text/extract-text.js';
import { changedProgress } from '../../text/page-progress.js';
import type { ProgressMessage, ReadTask, RecognizeTask, RulesTask } from './extraction-worker.js';
import { unwrapOutcome, type TaskOutcome } from './task-outcome.js';

/**
 * Pages of a scan per recognise task, at most. Small enough that the pages of one document spread
 * over every thread and progress moves, large enough that reopening the PDF in each task (copying
 * its bytes, parsing its cross-references: milliseconds) stays small beside the seconds of OCR per
 * page. Also what memory holds of a document's images: one page per thread.
 */
const MAX_PAGES_PER_TASK = 4;

/**
 * A scan's pages cut into recognise tasks of decreasing size (guided scheduling): each task takes
 * a share of what is left, so the first are large and the last are single pages. Threads take
 * tasks first in, first out, and whichever finishes first takes the next: at the end no thread
 * is left with more than one page while another idles. (Even sizes did not do that: 10 pages as
 * 2, 3, 2, 3 on two threads went 4 to one and 6 to the other.)
 */
export function pageGroups(pages: readonly number[], threads: number): number[][] {
  const groups: number[][] = [];
  for (let start = 0; start < pages.length; ) {
    const size = Math.min(MAX_PAGES_PER_TASK, Math.max(1, Math.ceil((pages.length - start) / (2 * threads))));
    groups.push(pages.slice(start, start + size));
    start += size;
  }
  return groups;
}

export interface PoolExtractOptions {
  maxBytes: number;
  limits?: Partial<InputLimits>;
  ocr?: OcrOptions;
  /** (pages done, pages in the document), as extractText reports it. */
  onPageProgress?: (done: number, total: number) => void;
  /** When the rules start. */
  onRules?: () => void;
}

/**
 * The CPU stage off the main thread, on every core: a pool of worker threads (piscina) reads
 * documents (PDF, DOCX, DOC, text, images), recognises scanned pages and runs the rules. A
 * document is three kinds of task: read its text layer, recognise its pages without one (in
 * groups of a few pages, spread over the threads: the pages of one scan are recognised in
 * parallel), then the rules. Tasks queue first in, first out, so a batch of documents keeps
 * every thread busy. Each thread recognises one page at a time (one tesseract process, or its
 * own tesseract.js worker), so `jobs` threads never run more than `jobs` recognitions: no
 * over-subscription. The main thread keeps the database, and its event loop stays free.
 */
export class ExtractionPool {
  private readonly pool: Piscina;

  constructor(
    readonly jobs: number,
    options: { workerHeapMb?: number | undefined } = {},
  ) {
    this.pool = new Piscina({
      filename: new URL('./extraction-worker.js', import.meta.url).href,
      // Every thread started (and its modules loaded) at once, while the caller opens its database.
      minThreads: jobs,
      maxThreads: jobs,
      // One task per thread at a time: OCR is CPU work, two in one thread would only take turns.
      concurrentTasksPerWorker: 1,
      ...(options.workerHeapMb ? { resourceLimits: { maxOldGenerationSizeMb: options.workerHeapMb } } : {}),
      // Native tesseract processes started from the threads run one thread each (see native-tesseract-engine.ts).
      env: { ...process.env, OMP_THREAD_LIMIT: '1' },
    });
    this.heapMb = options.workerHeapMb;
  }

  private readonly heapMb: number | undefined;

  /** Page texts and statements of one file; throws UnsupportedInputError for unusable input, as extractText does. */
  async extract(bytes: Uint8Array, fileName: string, options: PoolExtractOptions): Promise<{ text: ExtractedPages; extraction: Extraction }> {
    // Shared with every task of this document instead of copied into each.
    const shared = new SharedArrayBuffer(bytes.length);
    new Uint8Array(shared).set(bytes);
    const limits = inputLimits(options.limits);
    const pdfDpi = options.ocr?.pdfDpi ?? DEFAULT_PDF_OCR_DPI;
    const onPageProgress = changedProgress(options.onPageProgress);

    const read = await this.run<ReadDocument>(fileName, 'read', { bytes: shared, fileName, maxBytes: options.maxBytes, limits, pdfDpi }, (message) => {
      if ('done' in message) onPageProgress(message.done, message.total);
    });
    const { kind, mime, pages, toRecognize } = read;
    const total = pages.length;
    let done = total - toRecognize.length;
    onPageProgress(done, total);

    const pageImages: ExtractedPages['pageImages'] = [];
    if (toRecognize.length > 0) {
      // Chosen once here, so that every task uses the same engine and a missing one fails once.
      const ocr: OcrOptions = { ...options.ocr, engine: await chooseOcrEngine(options.ocr?.engine), concurrency: 1, pdfDpi };
      const groups = pageGroups(toRecognize, this.jobs);
      // The first failure cancels the groups still waiting: the document fails as a whole.
      const cancel = new AbortController();
      const recognized = await Promise.all(
        groups.map((group) =>
          this.run<RecognizedPages>(
            fileName,
            'recognize',
            { bytes: shared, fileName, kind, mime, pages: group, ocr, limits } satisfies Omit<RecognizeTask, 'port'>,
            () => onPageProgress(++done, total),
            cancel.signal,
          ).catch((error: unknown) => {
            cancel.abort();
            throw error;
          }),
        ),
      );
      for (const group of recognized) {
        for (const page of group.pages) pages[page.page - 1] = page;
        pageImages.push(...group.images);
      }
    }

    options.onRules?.();
    const extraction = await this.run<Extraction>(fileName, 'rules', { pages } satisfies RulesTask);
    return { text: { kind, mime, pages, pageImages }, extraction };
  }

  /** Waits for running tasks and stops the threads. */
  async close(): Promise<void> {
    await this.pool.close();
  }

  private async run<T>(
    fileName: string,
    name: 'read' | 'recognize' | 'rules',
    task: Omit<ReadTask, 'port'> | Omit<RecognizeTask, 'port'> | RulesTask,
    onProgress?: (message: ProgressMessage) => void,
    signal?: AbortSignal,
  ): Promise<T> {
    const channel = onProgress ? new MessageChannel() : undefined;
    channel?.port1.on('message', (message: ProgressMessage) => onProgress?.(message));
    try {
      const outcome = (await this.pool.run(channel ? { ...task, port: channel.port2 } : task, {
        name,
        ...(channel ? { transferList: [channel.port2] } : {}),
        ...(signal ? { signal } : {}),
      })) as TaskOutcome<T>;
      return unwrapOutcome(outcome);
    } catch (error) {
      throw this.threadFailure(error, fileName);
    } finally {
      channel?.port1.close();
    }
  }

  /** A thread that died (out of memory, a crash in native code) is reported against the file it was reading. */
  private threadFailure(error: unknown, fileName: string): unknown {
    const code = (error as { code?: unknown } | undefined)?.code;
    if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
      const limit = this.heapMb ? `the ${this.heapMb} MB an extraction thread may use (NTM_WORKER_HEAP_MB)` : 'what an extraction thread may use';
      return new UnsupportedInputError(fileName, 'too_large', `reading it needed more memory than ${limit}`, { cause: error });
    }
    // unwrapOutcome's errors (the task's own) and cancellations pass as they are.
    if (error instanceof Error && (error.name === 'AbortError' || !code)) return error;
    const reason = error instanceof Error ? error.message : String(error);
    return new Error(`the extraction thread reading ${fileName} stopped (${reason})`, { cause: error });
  }
}
