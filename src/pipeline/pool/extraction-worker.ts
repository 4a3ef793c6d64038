/**
 * The extraction pool's thread: runs one task at a time for src/pipeline/pool/extraction-pool.ts.
 * Each task gets the file's bytes (shared, not copied), a port for progress, and returns a
 * TaskOutcome: errors travel as data so that their class survives the thread boundary.
 */
import type { MessagePort } from 'node:worker_threads';
import { extractStatements, type Extraction } from '../../../extractors/extract-statements.js';
import type { FileKind, PageText } from '../../../extractors/text/page-text.js';
import { readDocument, recognizeDocumentPages, type ReadDocument, type RecognizedPages } from '../../text/extract-text.js';
import type { InputLimits } from '../../text/input-limits.js';
import { createOcrEngine } from '../../text/ocr/choose-ocr-engine.js';
import type { OcrEngine } from '../../text/ocr/ocr-engine.js';
import type { EngineSupply, OcrOptions } from '../../text/ocr/recognize-pages.js';
import { outcomeOf, type TaskOutcome } from './task-outcome.js';

/** What the main thread posts on a task's port: pages done (read: absolute; recognise: one more). */
export type ProgressMessage = { done: number; total: number } | { page: number };

export interface ReadTask {
  bytes: SharedArrayBuffer;
  fileName: string;
  maxBytes: number;
  limits: InputLimits;
  pdfDpi: number;
  port: MessagePort;
}

export interface RecognizeTask {
  bytes: SharedArrayBuffer;
  fileName: string;
  kind: FileKind;
  mime: string;
  pages: number[];
  ocr: OcrOptions;
  limits: InputLimits;
  port: MessagePort;
}

export interface RulesTask {
  pages: PageText[];
}

/**
 * tesseract.js engines stay with the thread between tasks (one worker per pool slot): starting
 * one loads the model, about a second. A native engine is a process per page and a temporary
 * folder, so it is closed after each task.
 */
const idleTesseractJs: OcrEngine[] = [];
const threadEngines: EngineSupply = {
  take: (name) => (name === 'tesseractjs' ? idleTesseractJs.pop() : undefined) ?? createOcrEngine(name),
  give: async (engine) => {
    if (engine.name === 'tesseractjs') idleTesseractJs.push(engine);
    else await engine.close();
  },
};

export function read(task: ReadTask): Promise<TaskOutcome<ReadDocument>> {
  return outcomeOf(async () => {
    try {
      return await readDocument(Buffer.from(task.bytes), task.fileName, {
        maxBytes: task.maxBytes,
        limits: task.limits,
        pdfDpi: task.pdfDpi,
        onPageProgress: (done, total) => task.port.postMessage({ done, total } satisfies ProgressMessage),
      });
    } finally {
      task.port.close();
    }
  });
}

export function recognize(task: RecognizeTask): Promise<TaskOutcome<RecognizedPages>> {
  return outcomeOf(async () => {
    try {
      return await recognizeDocumentPages(Buffer.from(task.bytes), task.fileName, task, task.pages, {
        ocr: task.ocr,
        limits: task.limits,
        engines: threadEngines,
        onPage: () => task.port.postMessage({ page: 1 } satisfies ProgressMessage),
      });
    } finally {
      task.port.close();
    }
  });
}

export function rules(task: RulesTask): Promise<TaskOutcome<Extraction>> {
  return outcomeOf(() => extractStatements(task.pages));
}
