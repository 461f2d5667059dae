import 'reflect-metadata';
import { join } from 'node:path';
import { RESULT_MARK, runWithDeadline, Section } from './section';

/**
 * Entry of a section process (`section-main.ts <name>`): its own process, so its peak RSS is
 * its own. Prints the result as one JSON line and exits; a stuck section is ended by exit.
 */
async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[a-z-]+$/.test(name)) throw new Error(`bad section name: ${name}`);
  const { section } = (await import(join(__dirname, '..', 'sections', name))) as {
    section: Section;
  };
  const result = await runWithDeadline(section);
  process.stdout.write(`${RESULT_MARK}${JSON.stringify({ name, ...result })}\n`);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`section failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
