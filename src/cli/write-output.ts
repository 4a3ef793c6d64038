import { createWriteStream, writeFileSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';

/** A file the command could not write, named. */
export class OutputError extends Error {
  override readonly name = 'OutputError';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`Cannot write ${path}: ${reason}`);
  }
}

/**
 * Writes a command's output to `--out FILE`, else to stdout. A binary format (xlsx, docx) is not
 * sent to a terminal, where it would only garble the screen.
 */
export function writeOutput(content: string | Buffer, options: { out?: string; format: string }): void {
  if (options.out) {
    try {
      writeFileSync(options.out, content);
    } catch (error) {
      throw new OutputError(options.out, error instanceof Error ? error.message : String(error));
    }
    return;
  }
  if (Buffer.isBuffer(content) && process.stdout.isTTY) {
    throw new Error(`--format ${options.format} is a binary file: give --out FILE or redirect the output to a file`);
  }
  process.stdout.write(content);
}

/**
 * Streams a command's output to `--out FILE`, else to stdout, as `produce` writes it (it waits for
 * the output to drain, so memory stays constant). A file that cannot be written is an OutputError.
 */
export async function streamOutput(produce: (output: Writable) => Promise<unknown>, options: { out?: string }): Promise<void> {
  if (!options.out) {
    await produce(process.stdout);
    return;
  }
  const path = options.out;
  const file = createWriteStream(path);
  const failed = new Promise<never>((_resolve, reject) => file.once('error', (error) => reject(new OutputError(path, error.message))));
  failed.catch(() => {}); // raced below; never unhandled
  await Promise.race([produce(file), failed]);
  file.end();
  await Promise.race([finished(file), failed]);
}
