import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { AppProcess } from './cluster';
import { DrillGuild } from './drill-guild';

export interface DrillScene {
  pool: Pool;
  database: string;
  redisUrl: string;
  prefix: string;
  guild: DrillGuild;
  /** When the drill started (its Discord calls are listed from there). */
  since: number;
  processes: AppProcess[];
}

/**
 * What a failed drill leaves behind, printed to explain it: the open outbox rows by lane and
 * state (with how far their due time and lease lie from the database's now), the member leases
 * by holder, the drill database's sessions, the sync queue's BullMQ jobs and deduplication keys,
 * the fake Discord's calls per second of the drill, and each process's /health and last output.
 */
export async function diagnose(scene: DrillScene): Promise<string[]> {
  const { pool, database, redisUrl, prefix } = scene;
  const lines: string[] = [];
  const open = await pool.query<Record<string, unknown>>(
    `SELECT lane, status, attempts, count(*)::int AS n,
            round(extract(epoch FROM min(next_attempt_at) - now()), 1) AS due_in_s,
            round(extract(epoch FROM max(lease_until) - now()), 1) AS lease_left_s,
            round(extract(epoch FROM now() - min(created_at)), 1) AS oldest_s
       FROM sync_events WHERE status IN ('pending', 'processing')
      GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  );
  for (const row of open.rows) lines.push(`open rows: ${JSON.stringify(row)}`);
  const leases = await pool.query<Record<string, unknown>>(
    `SELECT holder, count(*)::int AS members,
            round(extract(epoch FROM max(lease_until) - clock_timestamp()), 1) AS lease_left_s
       FROM sync_member_leases GROUP BY holder ORDER BY holder`,
  );
  for (const row of leases.rows) lines.push(`member lease: ${JSON.stringify(row)}`);
  const sessions = await pool.query<Record<string, unknown>>(
    `SELECT pid, state, wait_event_type, wait_event,
            round(extract(epoch FROM now() - xact_start), 1) AS xact_s,
            left(regexp_replace(query, '\\s+', ' ', 'g'), 100) AS query
       FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()
      ORDER BY xact_start NULLS LAST`,
    [database],
  );
  for (const row of sessions.rows) lines.push(`session: ${JSON.stringify(row)}`);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('sync', { connection: redis, prefix });
  try {
    lines.push(
      `sync queue: ${JSON.stringify(
        await queue.getJobCounts('active', 'waiting', 'delayed', 'prioritized', 'failed'),
      )}`,
    );
    for (const job of await queue.getActive()) {
      lines.push(`active job ${job.id}: ${JSON.stringify(job.data)} since ${job.processedOn}`);
    }
    const keys = await redis.keys(`${prefix}:sync:de:*`);
    for (const key of keys) lines.push(`dedup ${key} -> ${await redis.get(key)}`);
  } finally {
    await queue.close();
    redis.disconnect();
  }
  lines.push(...restTimeline(scene.guild, scene.since));
  for (const process of scene.processes) {
    const health = await fetch(`${process.url}/health`)
      .then((response) => response.text())
      .catch((error: Error) => error.message);
    lines.push(`${process.label} (pid ${process.pid ?? 'none'}) /health: ${health}`);
    lines.push(`${process.label}'s last output:\n${process.outputTail}`);
  }
  return lines;
}

/** The fake Discord's REST calls since `sinceMs`, per second: what the processes asked when. */
function restTimeline(guild: DrillGuild, sinceMs: number): string[] {
  const seconds = new Map<number, Map<string, number>>();
  for (const call of guild.fake.calls()) {
    if (call.at < sinceMs) continue;
    const second = Math.floor((call.at - sinceMs) / 1000);
    const kind = `${call.method} ${call.path.split('/').slice(1, 4).join('/')} ${call.status}`;
    const counts = seconds.get(second) ?? new Map<string, number>();
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    seconds.set(second, counts);
  }
  return [...seconds.entries()].map(
    ([second, counts]) =>
      `Discord +${second} s: ${[...counts.entries()].map(([k, n]) => `${n}x ${k}`).join(', ')}`,
  );
}
