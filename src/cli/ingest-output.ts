import type { IngestOutcome, IngestStatus } from '../pipeline/ingest.service.js';
import { terminalText } from './terminal-text.js';

/** One line per document, for logs and non-terminal output. */
export function outcomeLine(outcome: IngestOutcome): string {
  return terminalText(rawOutcomeLine(outcome));
}

function rawOutcomeLine(outcome: IngestOutcome): string {
  if (outcome.status === 'failed') return `failed      ${outcome.path}: ${outcome.error}`;
  if (outcome.status === 'skipped') return `skipped     ${outcome.path}: ${outcome.error}`;
  if (outcome.status === 'queued') return `queued      ${outcome.path}: not processed yet`;
  return `${outcome.status.padEnd(11)} ${outcome.path}: ${outcome.statements} statements, ${outcome.flags} flags`;
}

export function summaryLine(outcomes: IngestOutcome[]): string {
  const count = (status: IngestStatus) => outcomes.filter((o) => o.status === status).length;
  const statements = outcomes.reduce((sum, o) => sum + o.statements, 0);
  const flags = outcomes.reduce((sum, o) => sum + o.flags, 0);
  const queued = `${count('queued') > 0 ? `, ${count('queued')} still queued` : ''}${count('skipped') > 0 ? `, ${count('skipped')} skipped` : ''}`;
  return `Documents: ${count('new')} new, ${count('reprocessed')} re-extracted, ${count('unchanged')} unchanged, ${count('failed')} failed${queued}; statements: ${statements}; flags: ${flags}`;
}
