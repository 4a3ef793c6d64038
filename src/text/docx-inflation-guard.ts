import JSZip from 'jszip';
import { UnsupportedInputError } from '../errors/unsupported-input.error.js';

/** The parts mammoth parses as XML (document, styles, numbering, notes, relationships…); media it never inflates here. */
const PARSED_PART = /\.(xml|rels)$/i;

/**
 * Refuses a Word file whose XML parts inflate past `maxInflatedBytes` (a decompression bomb:
 * a few hundred KB declaring a quarter of a gigabyte of paragraphs, which mammoth would hold
 * as a string and then as a DOM, gigabytes of heap). The parts are inflated here as a stream
 * and counted, never kept, and the count stops at the limit, so what this costs is bounded
 * whatever the sizes the archive declares. JSZip is the ZIP reader mammoth uses: both see the
 * same entries.
 */
export async function assertDocxInflatesWithin(bytes: Buffer, fileName: string, maxInflatedBytes: number): Promise<void> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes, { checkCRC32: false });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UnsupportedInputError(fileName, 'corrupt', `the Word document is damaged (${reason})`, { cause: error });
  }
  let total = 0;
  for (const entry of Object.values(zip.files)) {
    if (entry.dir || !PARSED_PART.test(entry.name)) continue;
    const within = await new Promise<boolean>((resolve, reject) => {
      const stream = entry.nodeStream('nodebuffer');
      stream
        .on('data', (chunk: Buffer) => {
          total += chunk.length;
          if (total > maxInflatedBytes) {
            stream.pause();
            stream.removeAllListeners('data');
            resolve(false);
          }
        })
        .on('error', reject)
        .on('end', () => resolve(true));
    }).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      throw new UnsupportedInputError(fileName, 'corrupt', `the Word document is damaged (${entry.name}: ${reason})`, { cause: error });
    });
    if (!within) {
      throw new UnsupportedInputError(
        fileName,
        'too_large',
        `the Word document inflates to more than ${megabytes(maxInflatedBytes)} of XML (a decompression bomb?), reached in ${entry.name}; the limit is NTM_MAX_INFLATED_MB`,
      );
    }
  }
}

function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}
