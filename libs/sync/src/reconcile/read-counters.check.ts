import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '@ttfd/database';

export interface ReadCountersOutcome {
  checked: number;
  drifted: number;
  fixed: number;
}

interface CounterModel {
  table: 'sync_event_counts' | 'community_counts' | 'season_xp_counts' | 'xp_earned_counts';
  /** key -> value from the counters (slots summed). */
  counters(manager: EntityManager): Promise<Map<string, number>>;
  /** key -> value from a full count of the source tables. */
  truth(manager: EntityManager): Promise<Map<string, number>>;
  /** Rewrites the counters from a full count (slot 0). */
  rebuild(manager: EntityManager): Promise<void>;
}

const SYNC_EVENTS: CounterModel = {
  table: 'sync_event_counts',
  counters: async (manager) =>
    keyed(
      await manager.query(
        `SELECT type || '/' || status AS key, sum(n) AS n FROM sync_event_counts GROUP BY 1`,
      ),
    ),
  truth: async (manager) =>
    keyed(
      await manager.query(
        // By the columns, not the key expression: an index-only pass over (status, type).
        `SELECT type || '/' || status AS key, count(*) AS n FROM sync_events GROUP BY status, type`,
      ),
    ),
  rebuild: async (manager) => {
    await manager.query(`DELETE FROM sync_event_counts`);
    await manager.query(
      `INSERT INTO sync_event_counts (type, status, slot, n)
       SELECT type, status, 0, count(*) FROM sync_events GROUP BY type, status`,
    );
  },
};

const COMMUNITY = {
  table: 'community_counts',
  counters: async (manager) =>
    keyed(await manager.query(`SELECT name AS key, sum(n) AS n FROM community_counts GROUP BY 1`)),
  truth: async (manager) =>
    keyed(
      await manager.query(
        `SELECT 'players' AS key, count(*) AS n FROM accounts WHERE merged_into IS NULL
         UNION ALL
         SELECT 'linked_players', count(*) FROM
           (SELECT account_id FROM identities GROUP BY account_id
             HAVING count(DISTINCT platform) = 2) linked`,
      ),
    ),
  rebuild: async (manager) => {
    await manager.query(`DELETE FROM community_counts`);
    await manager.query(
      `INSERT INTO community_counts (name, slot, n)
       SELECT 'players', 0, count(*) FROM accounts WHERE merged_into IS NULL
       UNION ALL
       SELECT 'linked_players', 0, count(*) FROM
         (SELECT account_id FROM identities GROUP BY account_id
           HAVING count(DISTINCT platform) = 2) linked`,
    );
  },
} satisfies CounterModel;

/** The open season's scores (closed seasons' places are final, their counts no longer read). */
const OPEN_SEASON = `(SELECT id FROM seasons WHERE status = 'open')`;

const SEASON_XP = {
  table: 'season_xp_counts',
  counters: async (manager) =>
    keyed(
      await manager.query(
        `SELECT season_id || '/' || bucket AS key, sum(n) AS n FROM season_xp_counts
          WHERE season_id IN ${OPEN_SEASON} GROUP BY season_id, bucket`,
      ),
    ),
  truth: async (manager) =>
    keyed(
      await manager.query(
        `SELECT season_id || '/' || season_xp_bucket(xp) AS key, count(*) AS n FROM season_scores
          WHERE season_id IN ${OPEN_SEASON} GROUP BY season_id, season_xp_bucket(xp)`,
      ),
    ),
  rebuild: async (manager) => {
    await manager.query(`DELETE FROM season_xp_counts WHERE season_id IN ${OPEN_SEASON}`);
    await manager.query(
      `INSERT INTO season_xp_counts (season_id, bucket, slot, n)
       SELECT season_id, season_xp_bucket(xp), 0, count(*) FROM season_scores
        WHERE season_id IN ${OPEN_SEASON} GROUP BY 1, 2`,
    );
  },
} satisfies CounterModel;

/**
 * The quarter hours of XP the overview reads ("today") and the day before: the ledger's rows of
 * two days through its time index. Older buckets are not read (and retention trims them); the
 * completions per minute have no truth to compare with (they count what happened, and
 * retention deletes the events), so they are not checked.
 */
const XP_EARNED_SINCE = `(SELECT date_bin('15 minutes', max(created_at), 'epoch') - interval '2 days'
                           FROM ledger_entries)`;

const XP_EARNED = {
  table: 'xp_earned_counts',
  counters: async (manager) =>
    keyed(
      await manager.query(
        `SELECT bucket::text AS key, sum(xp) AS n FROM xp_earned_counts
          WHERE bucket >= ${XP_EARNED_SINCE} GROUP BY bucket`,
      ),
    ),
  truth: async (manager) =>
    keyed(
      await manager.query(
        `SELECT date_bin('15 minutes', created_at, 'epoch')::text AS key, sum(xp_delta) AS n
           FROM ledger_entries WHERE xp_delta > 0 AND created_at >= ${XP_EARNED_SINCE}
          GROUP BY 1`,
      ),
    ),
  rebuild: async (manager) => {
    await manager.query(`DELETE FROM xp_earned_counts WHERE bucket >= ${XP_EARNED_SINCE}`);
    await manager.query(
      `INSERT INTO xp_earned_counts (bucket, slot, xp)
       SELECT date_bin('15 minutes', created_at, 'epoch'), 0, sum(xp_delta) FROM ledger_entries
        WHERE xp_delta > 0 AND created_at >= ${XP_EARNED_SINCE} GROUP BY 1`,
    );
  },
} satisfies CounterModel;

function keyed(rows: { key: string; n: string }[]): Map<string, number> {
  return new Map(rows.filter((row) => Number(row.n) !== 0).map((row) => [row.key, Number(row.n)]));
}

function differences(a: Map<string, number>, b: Map<string, number>): number {
  let n = 0;
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    if ((a.get(key) ?? 0) !== (b.get(key) ?? 0)) n += 1;
  }
  return n;
}

/**
 * Reconcile's check of the counter read models (the gauges' event counts, the overview's player
 * counts and its last two days of XP per quarter hour, the open season's players per XP bucket
 * that its places read) against a full count,
 * in the full pass and once per rolling cycle. The first comparison runs without locks; only a
 * mismatch takes the counter table's EXCLUSIVE lock (writers' trigger upserts wait, readers do
 * not), compares again on a fresh snapshot (a write in flight is not drift) and rewrites the
 * counters from the count.
 */
@Injectable()
export class ReadCountersCheck {
  constructor(private readonly dataSource: DataSource) {}

  async run(): Promise<ReadCountersOutcome> {
    const outcome: ReadCountersOutcome = { checked: 0, drifted: 0, fixed: 0 };
    for (const model of [SYNC_EVENTS, COMMUNITY, SEASON_XP, XP_EARNED]) {
      const manager = this.dataSource.manager;
      const truth = await model.truth(manager);
      outcome.checked += truth.size;
      if (differences(await model.counters(manager), truth) === 0) continue;
      const drifted = await inTransaction(this.dataSource, undefined, async (tx) => {
        await tx.manager.query(`LOCK TABLE ${model.table} IN EXCLUSIVE MODE`);
        const found = differences(await model.counters(tx.manager), await model.truth(tx.manager));
        if (found > 0) await model.rebuild(tx.manager);
        return found;
      });
      outcome.drifted += drifted;
      outcome.fixed += drifted;
    }
    return outcome;
  }
}
