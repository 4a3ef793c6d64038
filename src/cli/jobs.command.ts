import { loadConfig } from '../config.js';
import { bullmqPipeline } from './queue-context.js';
import { printOut } from './terminal-text.js';

/** `ntm jobs`: counts per stage, then every waiting, active, delayed or failed job with its reason. */
export async function runJobs(): Promise<void> {
  const pipeline = bullmqPipeline(loadConfig());
  try {
    await pipeline.connect();
    const { counts, jobs } = await pipeline.listJobs();
    for (const [stage, byState] of Object.entries(counts)) {
      process.stdout.write(
        `${stage}: ${Object.entries(byState)
          .map(([state, n]) => `${n} ${state}`)
          .join(', ')}\n`,
      );
    }
    for (const job of jobs) {
      const file = (job.data as { fileName?: unknown } | null)?.fileName;
      const reason = job.failedReason ? ` — ${job.failedReason}` : '';
      printOut(
        `${job.state.padEnd(8)} ${job.queue.padEnd(8)} ${job.id}${typeof file === 'string' ? ` ${file}` : ''} (attempts ${job.attemptsMade})${reason}\n`,
      );
    }
  } finally {
    await pipeline.close();
  }
}
