import { writeFileSync } from 'node:fs';

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
