import { progress } from './progress';

/** The line a section process prints on stdout with its result; bench/run.ts looks for it. */
export const RESULT_MARK = 'BENCH_RESULT ';

export const QUICK = process.env.BENCH_QUICK === '1' || process.argv.includes('--quick');

/** One figure group: measured in a process of its own in a full run. */
export interface Section {
  name: string;
  /** Hard limit: the section is abandoned (its process killed) after this long. */
  deadlineMs: number;
  run(): Promise<Record<string, unknown>>;
}

/** Peak resident set of this process so far, in MB (getrusage maxrss is in KB on Linux). */
export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** Runs `section` against its deadline; the timer never keeps the process alive. */
export async function runWithDeadline(section: Section): Promise<Record<string, unknown>> {
  let timer: NodeJS.Timeout | undefined;
  progress(`${section.name}: starting${QUICK ? ' (quick)' : ''}`);
  try {
    return await Promise.race([
      section.run(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${section.name} exceeded its ${section.deadlineMs} ms deadline`)),
          section.deadlineMs,
        );
        timer.unref();
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
