import type { Stats } from 'node:fs';
import { lstatSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A file to ingest. `fsPath` is what the file system calls it: a Buffer when the name is not
 * valid UTF-8 (a folder copied from an old Windows machine), which a string could not reach;
 * `path` is the name shown and stored, with U+FFFD for the bytes that are not UTF-8.
 */
export interface InputFile {
  path: string;
  fsPath: string | Buffer;
}

/** A path that is not ingested: `skipped` (not a regular file, a folder seen before) or `failed` (cannot be read). */
export interface InputProblem {
  path: string;
  status: 'skipped' | 'failed';
  message: string;
}

export interface InputListing {
  files: InputFile[];
  problems: InputProblem[];
}

/**
 * Files under the given paths (folders recursively, in name order; hidden names skipped).
 * Never reads a FIFO, socket or device (opening a FIFO blocks for ever), enters each real
 * folder once (symlink loops, two links to one folder), and turns a path that cannot be
 * examined (missing, a link to itself, no permission) into one problem among many.
 */
export async function walkInputs(paths: readonly string[]): Promise<InputListing> {
  const listing: InputListing = { files: [], problems: [] };
  const seenFolders = new Set<string>();
  for (const path of paths) await walk(path, path, listing, seenFolders);
  return listing;
}

/** The files only, for callers that handle no problems (tests, benchmarks). */
export async function listInputFiles(paths: readonly string[]): Promise<InputFile[]> {
  return (await walkInputs(paths)).files;
}

async function walk(fsPath: string | Buffer, shown: string, listing: InputListing, seenFolders: Set<string>): Promise<void> {
  let info: Stats;
  try {
    info = await stat(fsPath); // follows links: a link to a file is that file
  } catch (error) {
    listing.problems.push({ path: shown, status: 'failed', message: `Cannot read ${shown}: ${describeFsError(error, fsPath)}` });
    return;
  }
  if (info.isFile()) {
    listing.files.push({ path: shown, fsPath });
    return;
  }
  if (!info.isDirectory()) {
    listing.problems.push({ path: shown, status: 'skipped', message: `Skipped ${shown}: ${describeKind(info)}, not a regular file` });
    return;
  }
  let real: string;
  let names: Buffer[];
  try {
    real = await realpath(fsPath);
    names = await readdir(fsPath, { encoding: 'buffer' });
  } catch (error) {
    listing.problems.push({ path: shown, status: 'failed', message: `Cannot read the folder ${shown}: ${describeFsError(error, fsPath)}` });
    return;
  }
  if (seenFolders.has(real)) {
    listing.problems.push({
      path: shown,
      status: 'skipped',
      message: `Skipped ${shown}: the folder ${real} is already being read (a symbolic link loop or a second link)`,
    });
    return;
  }
  seenFolders.add(real);
  const entries = names
    .filter((name) => name[0] !== 0x2e) // "."
    .map((name) => ({ name, shownName: name.toString('utf8') }))
    .sort((a, b) => (a.shownName < b.shownName ? -1 : a.shownName > b.shownName ? 1 : Buffer.compare(a.name, b.name)));
  for (const { name, shownName } of entries) {
    const valid = Buffer.from(shownName, 'utf8').equals(name);
    const child = valid && typeof fsPath === 'string' ? join(fsPath, shownName) : Buffer.concat([Buffer.from(fsPath), Buffer.from('/'), name]);
    await walk(child, join(shown, shownName), listing, seenFolders);
  }
}

function describeKind(info: Stats): string {
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'a special file';
}

/** One line for a file-system error: what happened, without the raw "ENOENT: …, stat '…'" form. */
export function describeFsError(error: unknown, fsPath?: string | Buffer): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return fsPath !== undefined && isDanglingLink(fsPath) ? 'a symbolic link to nothing' : 'no such file or folder';
    case 'ELOOP':
      return 'a symbolic link that loops back on itself';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'ENOTREG':
      return 'not a regular file';
    case 'EISDIR':
      return 'a folder, not a file';
    case 'EIO':
      return 'an input/output error (a failing disk or network mount)';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

function isDanglingLink(fsPath: string | Buffer): boolean {
  try {
    return lstatSync(fsPath).isSymbolicLink();
  } catch {
    return false;
  }
}
