import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { RESULT_KEY } from '../../queues/job-catalogue.js';
import { InvalidJobError } from '../../queues/invalid-job.error.js';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Content-addressed files: uploads under their SHA-256, extraction results under a key.
 * Every machine that runs workers must see the same folder (a shared mount): queue payloads
 * carry hashes and keys, never bytes.
 */
export class BlobStore {
  /** Folders known to exist: a recursive mkdir per write costs a file-system round trip each time. */
  private readonly folders = new Set<string>();

  constructor(readonly root: string) {}

  static sha256(bytes: Uint8Array): string {
    return createHash('sha256').update(bytes).digest('hex');
  }

  /** Stores an upload once; returns its hash. Written to a temporary name first, so a reader never sees half a file. */
  async putUpload(bytes: Uint8Array, sha256 = BlobStore.sha256(bytes)): Promise<string> {
    const path = this.uploadPath(sha256);
    if (!(await exists(path))) await this.writeAtomically(path, bytes);
    return sha256;
  }

  async getUpload(sha256: string): Promise<Buffer> {
    return readFile(this.uploadPath(sha256));
  }

  async hasUpload(sha256: string): Promise<boolean> {
    return exists(this.uploadPath(sha256));
  }

  /** Stores an OCR'd page's image (JPEG) under its SHA-256, for the review page; returns the hash. */
  async putPageImage(jpeg: Uint8Array): Promise<string> {
    const sha256 = BlobStore.sha256(jpeg);
    const path = this.pageImagePath(sha256);
    if (!(await exists(path))) await this.writeAtomically(path, jpeg);
    return sha256;
  }

  async getPageImage(sha256: string): Promise<Buffer> {
    return readFile(this.pageImagePath(sha256));
  }

  async putResult(key: string, value: unknown): Promise<void> {
    await this.writeAtomically(this.resultPath(key), JSON.stringify(value));
  }

  async getResult(key: string): Promise<unknown> {
    return JSON.parse(await readFile(this.resultPath(key), 'utf8')) as unknown;
  }

  /** Keys come from queue messages, which anyone with Redis access can write: a hex hash only, resolved inside the store. */
  uploadPath(sha256: string): string {
    if (!SHA256.test(sha256)) throw new InvalidJobError(`not an upload hash: ${JSON.stringify(sha256).slice(0, 80)}`);
    return this.inside(join('uploads', sha256.slice(0, 2), sha256));
  }

  /** Hashes come from the database or a queue payload: a hex hash only, resolved inside the store. */
  pageImagePath(sha256: string): string {
    if (!SHA256.test(sha256)) throw new InvalidJobError(`not a page image hash: ${JSON.stringify(sha256).slice(0, 80)}`);
    return this.inside(join('page-images', sha256.slice(0, 2), `${sha256}.jpg`));
  }

  resultPath(key: string): string {
    if (!RESULT_KEY.test(key)) throw new InvalidJobError(`not a result key: ${JSON.stringify(key).slice(0, 80)}`);
    return this.inside(join('results', `${key}.json`));
  }

  /** Written to a temporary name first, so a reader never sees half a file. */
  private async writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
    const folder = dirname(path);
    if (!this.folders.has(folder)) {
      await mkdir(folder, { recursive: true });
      this.folders.add(folder);
    }
    const temporary = `${path}.${randomUUID()}.tmp`;
    try {
      await writeFile(temporary, data);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      // The folder was removed since (a cleaned store): make it again.
      await mkdir(folder, { recursive: true });
      await writeFile(temporary, data);
    }
    await rename(temporary, path);
  }

  private inside(relativePath: string): string {
    const root = resolve(this.root);
    const path = resolve(root, relativePath);
    if (!path.startsWith(`${root}${sep}`)) throw new InvalidJobError(`${relativePath} is outside the blob store`);
    return path;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
