/**
 * "file p.N" of a citation, "file p.N row R" for one read from a table row, as every table's
 * source column writes it; null with no file (a reviewer's claim).
 */
export function sourceOf(fileName: string | null, page: number | null | undefined, row?: number | null): string | null {
  if (!fileName) return null;
  if (!page) return fileName;
  return row ? `${fileName} p.${page} row ${row}` : `${fileName} p.${page}`;
}
