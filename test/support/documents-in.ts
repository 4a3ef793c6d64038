import BetterSqlite3 from 'better-sqlite3';

/** Each document row's file name, status and error, in registration order, read without opening the database for writing. */
export function documentsIn(db: string): Array<{ file_name: string; status: string; error: string | null }> {
  const client = new BetterSqlite3(db, { readonly: true });
  try {
    return client.prepare('select file_name, status, error from documents order by id').all() as Array<{
      file_name: string;
      status: string;
      error: string | null;
    }>;
  } finally {
    client.close();
  }
}
