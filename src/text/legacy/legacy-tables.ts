import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { projectPath } from '../../../extractors/util/project-root.js';
import { windows1252Char } from './windows-1252.js';

const byteTable = z.record(z.string().regex(/^[0-9a-f]{2}$/), z.string().length(1));
const tcvn3Schema = z.object({ letters: byteTable, capitalsForPlainText: byteTable });
const vniSchema = z.object({ letters: z.record(z.string().length(1), z.string().min(1).max(2)) });

export interface Tcvn3Table {
  /** Windows-1252 character of a .VnTime font slot → Unicode letter (text from Word, PDF, UTF-8). */
  fontCharToLetter: ReadonlyMap<string, string>;
  /** Byte → Unicode letter for a TCVN3 plain-text file, where capitals with tone marks use the VN1 slots. */
  plainTextByteToLetter: ReadonlyMap<number, string>;
}

export interface VniTable {
  /** VNI spelling (one or two Windows-1252 characters) → Unicode letter. */
  spellingToLetter: ReadonlyMap<string, string>;
  /** Unicode letter → VNI spelling. */
  letterToSpelling: ReadonlyMap<string, string>;
}

let tables: { tcvn3: Tcvn3Table; vni: VniTable } | undefined;

/**
 * The mapping tables, kept as data next to this file: tcvn3.json (TCVN 5712:1993, checked
 * entry by entry against glibc iconv's TCVN5712-1) and vni.json (the VNI-Windows chart).
 */
export function legacyTables(): { tcvn3: Tcvn3Table; vni: VniTable } {
  tables ??= { tcvn3: loadTcvn3(), vni: loadVni() };
  return tables;
}

function readTable(name: string): unknown {
  return JSON.parse(readFileSync(projectPath('src', 'text', 'legacy', name), 'utf8'));
}

function loadTcvn3(): Tcvn3Table {
  const raw = tcvn3Schema.parse(readTable('tcvn3.json'));
  const letters = Object.entries(raw.letters).map(([hex, letter]) => [parseInt(hex, 16), letter] as const);
  const capitals = Object.entries(raw.capitalsForPlainText).map(([hex, letter]) => [parseInt(hex, 16), letter] as const);
  return {
    fontCharToLetter: new Map(letters.map(([byte, letter]) => [windows1252Char(byte), letter])),
    plainTextByteToLetter: new Map([...letters, ...capitals]),
  };
}

function loadVni(): VniTable {
  const raw = vniSchema.parse(readTable('vni.json'));
  const entries = Object.entries(raw.letters);
  return {
    spellingToLetter: new Map(entries.map(([letter, spelling]) => [spelling, letter])),
    letterToSpelling: new Map(entries),
  };
}
