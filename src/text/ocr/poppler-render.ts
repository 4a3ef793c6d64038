import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { UnsupportedInputError } from '../../errors/unsupported-input.error.js';
import { decodePgm, type GreyImage } from './grey-image.js';

const run = promisify(execFile);

/**
 * The largest page image read back. Pages were already checked against NTM_MAX_MEGAPIXELS
 * (assertPdfPagesRenderWithin) before any is rendered; this only keeps a runaway bounded.
 */
const MAX_PAGE_BYTES = 1024 * 1024 * 1024;

let availability: Promise<boolean> | undefined;

/** True when poppler's `pdftoppm` (Debian poppler-utils) runs. Probed once. */
export function isPopplerAvailable(): Promise<boolean> {
  availability ??= run('pdftoppm', ['-v'], { timeout: 10_000 }).then(
    () => true,
    () => false,
  );
  return availability;
}

/**
 * Renders pages with poppler's `pdftoppm`, one process per page, straight to grey PGM. A C
 * renderer in its own process: about half pdf.js's CPU for a scanned page (whose cost is
 * decoding the scan's own JPEG), and none of it in the calling thread.
 */
export async function* renderWithPoppler(
  bytes: Uint8Array,
  pages: readonly number[],
  dpi: number,
  fileName: string,
): AsyncGenerator<{ page: number; image: GreyImage; dpi: number }> {
  const folder = await mkdtemp(join(tmpdir(), 'ntm-render-'));
  try {
    const pdf = join(folder, 'document.pdf');
    await writeFile(pdf, bytes);
    for (const page of pages) {
      const args = ['-gray', '-r', String(dpi), '-f', String(page), '-l', String(page), pdf];
      let stdout: Buffer;
      try {
        ({ stdout } = await run('pdftoppm', args, { encoding: 'buffer', maxBuffer: MAX_PAGE_BYTES, timeout: 300_000 }));
      } catch (error) {
        const reason = error instanceof Error ? error.message.split('\n').find((line) => line.trim()) : String(error);
        throw new UnsupportedInputError(fileName, 'corrupt', `page ${page} of the PDF cannot be rendered for OCR (${reason})`, { cause: error });
      }
      yield { page, image: decodePgm(stdout, `page ${page} of ${fileName} as pdftoppm rendered it`), dpi };
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
