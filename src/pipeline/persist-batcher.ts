import type { DocumentRepository } from '../../db/index.js';
import { persistDocuments, type BatchItem, type BatchOutcome } from './persist-document.js';

/** Documents per transaction at most: large enough to share a commit, small enough that the writer answers quickly. */
const MAX_BATCH = 32;

interface Waiting {
  item: BatchItem;
  resolve: (outcome: BatchOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers the documents whose persist jobs are ready in the same turn of the event loop (a
 * persist worker runs several jobs at once) and writes them in one transaction. Nothing waits
 * for a batch to fill: a lone document is written on the next turn, so batching adds no delay.
 */
export class PersistBatcher {
  private waiting: Waiting[] = [];
  /** Documents written and transactions used, for the benchmark's breakdown. */
  readonly stats = { documents: 0, transactions: 0 };

  constructor(private readonly documents: DocumentRepository) {}

  persist(item: BatchItem): Promise<BatchOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.waiting.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_BATCH);
      let outcomes: BatchOutcome[];
      try {
        outcomes = persistDocuments(
          this.documents,
          batch.map((waiting) => waiting.item),
        );
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
        continue;
      }
      this.stats.documents += batch.length;
      this.stats.transactions += 1;
      batch.forEach((waiting, index) => waiting.resolve(outcomes[index] as BatchOutcome));
    }
  }
}
