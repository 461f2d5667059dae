import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import 'reflect-metadata';
import { progress } from './lib/progress';
import { peakRssMb, QUICK, RESULT_MARK, runWithDeadline, Section } from './lib/section';
import { BenchReport, renderMarkdown, SectionResult } from './lib/report';

const ROOT = join(__dirname, '..');

/**
 * `npm run bench [-- --quick] [-- --only=a,b]`: runs the sections one after another so they never
 * compete, each on its own database and Redis server, then writes JSON and a Markdown table
 * under bench/results/. A full run gives each section a process of its own (its peak RSS is the
 * figure 6); --quick runs them in this process, because loading the app four times would take
 * most of its minute. A full run of some sections (`--only=`) replaces those sections in
 * latest.json and keeps the others, each with the time it was measured, so one slow section can
 * be re-measured without another hour of the rest.
 */
const SECTIONS = [
  'floor-awards',
  'sync-pipeline',
  'discord-budget',
  'reconcile',
  'api',
  'cards',
  'imports',
  'history',
] as const;

async function main(): Promise<void> {
  const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
  const selected = SECTIONS.filter((name) => !only || only.split(',').includes(name));
  const started = Date.now();
  const results: SectionResult[] = [];
  const failures: string[] = [];
  for (const name of selected) {
    progress(`section ${name} (${results.length + failures.length + 1}/${selected.length})`);
    try {
      const measuredAt = new Date().toISOString();
      const result = QUICK ? await runInProcess(name) : await runSectionProcess(name);
      results.push({ ...result, measuredAt });
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message}`);
    }
  }
  const machine = {
    cpus: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
  const dir = join(ROOT, 'bench', 'results');
  const base = QUICK ? 'latest-quick' : 'latest';
  const kept = only ? sectionsNotRerun(join(dir, `${base}.json`), selected) : [];
  const report: BenchReport = {
    quick: QUICK,
    startedAt: new Date(started).toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    machine,
    results: SECTIONS.flatMap((name) =>
      [...results, ...kept].filter((result) => result.name === name),
    ),
    failures,
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${base}.json`), `${JSON.stringify(report, null, 2)}\n`);
  const markdown = renderMarkdown(report);
  writeFileSync(join(dir, `${base}.md`), markdown);
  process.stdout.write(`\n${markdown}\nWritten to bench/results/${base}.{json,md}\n`);
  if (failures.length > 0) {
    process.stderr.write(`Failed sections:\n  ${failures.join('\n  ')}\n`);
    process.exitCode = 1;
  }
}

/** The previous report's sections this run did not measure, each stamped with when it was. */
function sectionsNotRerun(path: string, rerun: readonly string[]): SectionResult[] {
  if (!existsSync(path)) return [];
  const previous = JSON.parse(readFileSync(path, 'utf8')) as BenchReport;
  return previous.results
    .filter((result) => !rerun.includes(result.name))
    .map((result) => ({ ...result, measuredAt: result.measuredAt ?? previous.startedAt }));
}

async function runInProcess(name: string): Promise<SectionResult> {
  const { section } = (await import(`./sections/${name}`)) as { section: Section };
  const result = await runWithDeadline(section);
  // One process for every section: the peak is the suite's so far, not the section's.
  return { ...result, name, peakRssMb: peakRssMb(), peakRssScope: 'quick suite process' };
}

function runSectionProcess(name: string): Promise<SectionResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register',
        '-r',
        'tsconfig-paths/register',
        join(ROOT, 'bench', 'lib', 'section-main.ts'),
        name,
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          TS_NODE_TRANSPILE_ONLY: 'true',
          TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
          BENCH_QUICK: QUICK ? '1' : '0',
        },
        // The section's progress lines go straight to our stderr.
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARK));
      if (code === 0 && line) {
        resolve(JSON.parse(line.slice(RESULT_MARK.length)) as SectionResult);
      } else {
        reject(new Error(`exited with ${signal ?? code}${line ? '' : ' without a result'}`));
      }
    });
  });
}

main().then(
  // Exit explicitly: a library's stray timer must not keep a finished bench alive.
  () => process.exit(process.exitCode ?? 0),
  (error: Error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
