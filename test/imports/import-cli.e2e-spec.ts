/**
 * `npm run import` as an operator runs it: a real process on its own database, exit codes and
 * output. Dry run, run, re-run ("Nothing changed"), a refused file (exit 1, nothing written),
 * the export in the same format, and the revert.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createRedisPrefix, createTestDatabase, TestDatabase } from '../support/test-database';
import { TEST_REDIS_URL } from '../support/test-env';

const ROOT = join(__dirname, '..', '..');

describe('npm run import (CLI)', () => {
  let database: TestDatabase;
  const redis = createRedisPrefix();
  const dir = mkdtempSync(join(tmpdir(), 'ttfd-import-cli-'));

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
    await redis.cleanup();
  });

  function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', 'scripts/import.ts', ...args],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          TS_NODE_TRANSPILE_ONLY: 'true',
          TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
          DATABASE_URL: database.url,
          MIGRATIONS_RUN: 'false',
          REDIS_URL: TEST_REDIS_URL,
          QUEUE_PREFIX: redis.prefix,
          ADMIN_TOKEN: 'cli-test-admin-token-0123456789',
          LOG_LEVEL: 'silent',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  }

  async function ledgerRows(): Promise<number> {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM ledger_entries`);
      return rows[0].n as number;
    } finally {
      await client.end();
    }
  }

  // Each run boots the app under ts-node (~20 s on a busy two-core machine).
  it('dry run, run, re-run, refusal, export and revert', async () => {
    const file = join(dir, 'players.csv');
    writeFileSync(
      file,
      'platform,external_id,display_name,xp,coins\ntelegram,81001,Ann,1200,30\ntelegram,81002,"B, the second",8000,0\n',
    );
    const dry = await run(['csv', file, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/csv would import 2 players \(2 new, 0 existing profiles\)/);
    expect(await ledgerRows()).toBe(0);

    const first = await run(['csv', file]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/csv imported 2 players/);
    expect(first.stderr).toMatch(/2\/2 players/);
    const runId = /Run ([0-9]+):/.exec(first.stdout)?.[1];
    expect(runId).toBeDefined();
    expect(await ledgerRows()).toBe(2);

    const again = await run(['csv', file]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Nothing changed/);
    expect(await ledgerRows()).toBe(2);

    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'platform,external_id,display_name,xp,coins\ntelegram,81003,C,1e3,0\n');
    const refused = await run(['csv', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/nothing was written: line 2, field xp: "1e3"/);
    expect(await ledgerRows()).toBe(2);

    const exported = join(dir, 'export.csv');
    const exporting = await run(['export', exported]);
    expect(exporting.code).toBe(0);
    expect(readFileSync(exported, 'utf8')).toBe(
      'platform,external_id,display_name,xp,coins\ntelegram,81001,Ann,1200,30\ntelegram,81002,"B, the second",8000,0\n',
    );

    const reverted = await run(['revert', runId!]);
    expect(reverted.code).toBe(0);
    expect(reverted.stdout).toMatch(
      /2 rows compensated on 2 profiles, 9200 XP and 30 coins removed/,
    );
    expect(await ledgerRows()).toBe(4);

    const usage = await run(['vk', file]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/Unknown source "vk"/);
  }, 400_000);
});
