/** "file p.N" of a citation, as every table's source column writes it; null with no file (a reviewer's claim). */
export function sourceOf(fileName: string | null, page: number | null | undefined): string | null {
  if (!fileName) return null;
  return page ? `${fileName} p.${page}` : fileName;
}
