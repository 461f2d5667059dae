import { progress } from './progress';

/** The line a section prints on stdout with its result; bench/run.ts looks for it. */
export const RESULT_MARK = 'BENCH_RESULT ';

export const QUICK = process.env.BENCH_QUICK === '1' || process.argv.includes('--quick');

/** Peak resident set of this process so far, in MB (getrusage maxrss is in KB on Linux). */
export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/**
 * Runs one section in its own process (so its peak RSS is its own) and prints its result as
 * one JSON line. Exits non-zero on failure; a hard deadline guarantees it stops by itself.
 */
export function runSection<T extends object>(
  name: string,
  deadlineMs: number,
  body: () => Promise<T>,
): void {
  const deadline = setTimeout(() => {
    process.stderr.write(`section ${name} exceeded its ${deadlineMs} ms deadline\n`);
    process.exit(3);
  }, deadlineMs);
  deadline.unref();
  progress(`${name}: starting${QUICK ? ' (quick)' : ''}`);
  body()
    .then((result) => {
      process.stdout.write(`${RESULT_MARK}${JSON.stringify({ name, ...result })}\n`);
      process.exit(0);
    })
    .catch((error: Error) => {
      process.stderr.write(`section ${name} failed: ${error.stack ?? error.message}\n`);
      process.exit(1);
    });
}
