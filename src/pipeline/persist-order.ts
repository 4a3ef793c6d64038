import type { JobHandlers } from '../../queues/job-catalogue.js';
import { JobName } from '../../queues/job-catalogue.js';

/**
 * Documents extracted at once finish in any order; stored in that order, their statements
 * would be numbered differently from run to run (and from a one-thread run). This turnstile
 * makes the embedded pipeline persist documents in the order they were registered: each
 * document's persist stage waits for the documents registered before it, extraction does not.
 */
export class PersistOrder {
  private readonly pending = new Map<number, { done: Promise<void>; release: () => void }>();

  /** A document registered for extraction: later documents' persist stages will wait for it. */
  expect(documentId: number): void {
    if (this.pending.has(documentId)) return;
    let release = () => {};
    const done = new Promise<void>((resolve) => (release = resolve));
    this.pending.set(documentId, { done, release });
  }

  /** The document is stored, failed, or will never reach its persist stage. Safe to call twice. */
  release(documentId: number): void {
    this.pending.get(documentId)?.release();
    this.pending.delete(documentId);
  }

  /** Resolves when every document registered before this one is released. */
  async turn(documentId: number): Promise<void> {
    const earlier = [...this.pending].filter(([id]) => id < documentId).map(([, entry]) => entry.done);
    await Promise.all(earlier);
  }

  /** The handlers with the persist stage waiting for its turn. */
  ordered(handlers: JobHandlers): JobHandlers {
    const persist = handlers[JobName.PersistDocument];
    return {
      ...handlers,
      [JobName.PersistDocument]: {
        ...persist,
        run: async (payload, context) => {
          await this.turn(payload.documentId);
          try {
            return await persist.run(payload, context);
          } finally {
            this.release(payload.documentId);
          }
        },
      },
    };
  }
}
