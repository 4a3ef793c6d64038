import { ApiTokenRepository, TOKEN_ROLES, type TokenRole } from '../../db/api-token.repository.js';
import { closeDatabase } from '../../db/index.js';
import { openCommandDatabase } from './open-database.js';

/** `ntm token create`: prints the secret once (stdout, alone, for scripts); only its hash is kept. */
export function runTokenCreate(options: { db?: string; role: string; name: string }): number {
  if (!(TOKEN_ROLES as readonly string[]).includes(options.role)) {
    process.stderr.write(`ntm token create: unknown role "${options.role}" (one of ${TOKEN_ROLES.join(', ')})\n`);
    return 2;
  }
  if (!options.name.trim()) {
    process.stderr.write('ntm token create: a --name is needed\n');
    return 2;
  }
  const { db } = openCommandDatabase(options);
  try {
    const secret = new ApiTokenRepository(db).create(options.name.trim(), options.role as TokenRole);
    process.stderr.write(`Token "${options.name.trim()}" (${options.role}) created. It is shown only this once:\n`);
    process.stdout.write(`${secret}\n`);
    return 0;
  } finally {
    closeDatabase(db);
  }
}

export function runTokenRevoke(name: string, options: { db?: string }): number {
  const { db } = openCommandDatabase(options);
  try {
    if (!new ApiTokenRepository(db).revoke(name)) {
      process.stderr.write(`ntm token revoke: there is no active token named "${name}"\n`);
      return 1;
    }
    process.stdout.write(`Token "${name}" revoked\n`);
    return 0;
  } finally {
    closeDatabase(db);
  }
}
