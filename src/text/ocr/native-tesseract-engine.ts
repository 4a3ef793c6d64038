import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadOcrSettings } from '../../config.js';
import { writePgm, type GreyImage } from './grey-image.js';
import { OcrEngineError, type OcrEngine, type OcrLayout, type RecognizedText } from './ocr-engine.js';
import { confidenceFromTsv, tidyRecognizedText } from './tesseract-tsv.js';

const run = promisify(execFile);

let command: string | undefined;

/** The command: NTM_TESSERACT_PATH (src/config.ts) for machines where it is not on PATH, read once. */
export function tesseractCommand(): string {
  command ??= loadOcrSettings().tesseractPath;
  return command;
}

let availability: Promise<boolean> | undefined;

/** True when the tesseract command runs and has the Vietnamese model (Debian tesseract-ocr-vie). Probed once. */
export function isNativeTesseractAvailable(): Promise<boolean> {
  availability ??= run(tesseractCommand(), ['--list-langs'], { timeout: 10_000 }).then(
    ({ stdout }) => stdout.split(/\s+/).includes('vie'),
    () => false,
  );
  return availability;
}

/**
 * The tesseract command, one process per page. OMP_THREAD_LIMIT=1 is essential: with OpenMP's
 * default thread count a page takes ~16 s instead of ~2 s on 2 cores (over-subscription);
 * parallelism belongs to pages (several processes), not to threads inside one.
 */
export class NativeTesseractEngine implements OcrEngine {
  readonly name = 'native' as const;
  private folder: Promise<string> | undefined;
  private pageCount = 0;

  async recognize(image: GreyImage, dpi: number | undefined, layout: OcrLayout = 'page'): Promise<RecognizedText> {
    this.folder ??= mkdtemp(join(tmpdir(), 'ntm-ocr-'));
    const folder = await this.folder;
    const base = join(folder, `page-${++this.pageCount}`);
    await writePgm(`${base}.pgm`, image);
    const args = [`${base}.pgm`, base, '-l', 'vie', '--psm', layout === 'line' ? '7' : '3', ...(dpi ? ['--dpi', String(Math.round(dpi))] : []), 'txt', 'tsv'];
    try {
      await run(tesseractCommand(), args, { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 });
      const [text, tsv] = await Promise.all([readFile(`${base}.txt`, 'utf8'), readFile(`${base}.tsv`, 'utf8')]);
      return { text: tidyRecognizedText(text), ...confidenceFromTsv(tsv), tsv };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new OcrEngineError(`native tesseract failed: ${reason}`, { cause: error });
    } finally {
      await Promise.all(['pgm', 'txt', 'tsv'].map((ext) => rm(`${base}.${ext}`, { force: true })));
    }
  }

  async close(): Promise<void> {
    const folder = this.folder;
    this.folder = undefined;
    if (folder) await rm(await folder, { recursive: true, force: true });
  }
}
