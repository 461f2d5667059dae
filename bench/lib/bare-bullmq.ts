import { Queue, Worker } from 'bullmq';
import { runAtRate } from './pace';
import { LatencySummary, summarize } from './stats';

/**
 * The baseline of the sync latency: BullMQ alone, add -> worker, at the same rate, on the same
 * Redis, in the same process, with the worker concurrency the sync uses. What the pipeline adds
 * on top of this is ours.
 */
export async function bareBullmqLatency(
  redisPort: number,
  ratePerSecond: number,
  seconds: number,
  concurrency: number,
): Promise<LatencySummary> {
  const connection = { host: '127.0.0.1', port: redisPort, maxRetriesPerRequest: null };
  const queue = new Queue('bare', { connection, prefix: 'bare' });
  const samples: number[] = [];
  const worker = new Worker<{ at: number }>(
    'bare',
    async (job) => {
      samples.push(performance.now() - job.data.at);
    },
    { connection, prefix: 'bare', concurrency },
  );
  try {
    await worker.waitUntilReady();
    await runAtRate(ratePerSecond, seconds * 1000, 256, async (i) => {
      await queue.add(
        'bare',
        { at: performance.now() },
        { jobId: `bare-${i}`, removeOnComplete: true },
      );
    });
    const expected = Math.floor(ratePerSecond * seconds);
    const deadline = Date.now() + 10_000;
    while (samples.length < expected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return summarize(samples);
  } finally {
    await worker.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
}
