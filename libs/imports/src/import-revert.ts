import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { inTransaction } from '@ttfd/database';
import { ImportError } from './import.error';
import { ImportRunsRepository } from './import-runs.repository';
import { IMPORT_BATCH_PLAYERS } from './import-writer';

export interface RevertReport {
  runId: string;
  accounts: number;
  entriesReverted: number;
  xpRemoved: number;
  coinsRemoved: number;
  /** Players who spent or lost part of the import since: removed only down to 0. */
  clampedAccounts: number;
}

interface RunEntry {
  account_id: string;
  idempotency_key: string;
  xp_delta: string;
  coins_delta: string;
}

/**
 * Undoes a completed run with compensating ledger rows keyed `import-revert:{key}` (the ledger
 * is never edited), batch by batch under the accounts' locks. Totals never go below zero: a
 * player who spent imported coins since loses what is left, and the report counts them.
 * Running it again changes nothing (the keys), so a revert cut short can be resumed.
 */
@Injectable()
export class ImportRevert {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly runs: ImportRunsRepository,
  ) {}

  async revert(runId: string): Promise<RevertReport> {
    const run = await this.runs.get(runId);
    if (!run) throw new ImportError('IMPORT_NOT_FOUND', `No import run ${runId}`);
    if (run.status !== 'completed' && run.status !== 'reverted') {
      throw new ImportError(
        'IMPORT_NOT_REVERTIBLE',
        `Import run ${runId} is ${run.status}: only a completed run can be reverted`,
      );
    }
    const report: RevertReport = {
      runId,
      accounts: 0,
      entriesReverted: 0,
      xpRemoved: 0,
      coinsRemoved: 0,
      clampedAccounts: 0,
    };
    const accounts: { account_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT account_id FROM ledger_entries
        WHERE reason = 'import' AND entity_id = $1 ORDER BY account_id`,
      [`import-run:${runId}`],
    );
    for (let start = 0; start < accounts.length; start += IMPORT_BATCH_PLAYERS) {
      const batch = accounts
        .slice(start, start + IMPORT_BATCH_PLAYERS)
        .map((a) => String(a.account_id));
      await this.revertBatch(runId, batch, report);
    }
    report.accounts = accounts.length;
    await this.dataSource.query(
      `UPDATE import_runs
          SET status = 'reverted', reverted_at = $2,
              options = options || jsonb_build_object('revertReport', $3::jsonb)
        WHERE id = $1`,
      [runId, this.clock.now(), JSON.stringify(report)],
    );
    return report;
  }

  private revertBatch(runId: string, accountIds: string[], report: RevertReport): Promise<void> {
    return inTransaction(this.dataSource, undefined, async (tx) => {
      const q = tx.manager;
      const now = this.clock.now();
      const totals: { id: string; xp: string; coins: string }[] = await q.query(
        `SELECT id, xp, coins FROM accounts WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE`,
        [accountIds],
      );
      // Rows of the run not reverted yet: a resumed revert skips what it already did.
      const entries: RunEntry[] = await q.query(
        `SELECT l.account_id, l.idempotency_key, l.xp_delta, l.coins_delta
           FROM ledger_entries l
          WHERE l.reason = 'import' AND l.entity_id = $1 AND l.account_id = ANY($2::bigint[])
            AND NOT EXISTS (SELECT 1 FROM ledger_entries r
                             WHERE r.idempotency_key = 'import-revert:' || l.idempotency_key)`,
        [`import-run:${runId}`, accountIds],
      );
      const left = new Map(
        totals.map((t) => [String(t.id), { xp: Number(t.xp), coins: Number(t.coins) }]),
      );
      const byAccount = new Map<string, RunEntry[]>();
      for (const e of entries) {
        const id = String(e.account_id);
        byAccount.set(id, [...(byAccount.get(id) ?? []), e]);
      }
      const rows: { account: string; key: string; xp: number; coins: number }[] = [];
      for (const [account, list] of byAccount) {
        const balance = left.get(account)!;
        let clamped = false;
        // Negative rows first: undoing them raises the totals the positive ones come out of.
        const ordered = [...list].sort(
          (a, b) =>
            Number(a.xp_delta) + Number(a.coins_delta) - Number(b.xp_delta) - Number(b.coins_delta),
        );
        for (const entry of ordered) {
          const undo = { xp: -Number(entry.xp_delta), coins: -Number(entry.coins_delta) };
          for (const currency of ['xp', 'coins'] as const) {
            if (undo[currency] < -balance[currency]) {
              undo[currency] = -balance[currency];
              clamped = true;
            }
            balance[currency] += undo[currency];
          }
          if (undo.xp !== 0 || undo.coins !== 0) {
            rows.push({ account, key: `import-revert:${entry.idempotency_key}`, ...undo });
          }
        }
        if (clamped) report.clampedAccounts += 1;
      }
      if (rows.length === 0) return;
      const [moved]: [{ dxp: string; dcoins: string; n: string }[], number] = await q.query(
        `WITH inserted AS (
           INSERT INTO ledger_entries
             (account_id, xp_delta, coins_delta, reason, source, entity_id, idempotency_key,
              created_at, season_id)
           SELECT t.account_id, t.xp, t.coins, 'import', 'system', $5, t.key, $6, NULL
             FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[])
                  AS t(account_id, xp, coins, key)
           ON CONFLICT (idempotency_key) DO NOTHING
           RETURNING account_id, xp_delta, coins_delta
         ), sums AS (
           SELECT account_id, sum(xp_delta) AS xp, sum(coins_delta) AS coins, count(*) AS n
             FROM inserted GROUP BY account_id
         )
         UPDATE accounts a
            SET xp = a.xp + s.xp, coins = a.coins + s.coins, updated_at = $6,
                rank_id = rank_for_xp((a.xp + s.xp)::bigint)
           FROM sums s
          WHERE a.id = s.account_id
         RETURNING s.xp AS dxp, s.coins AS dcoins, s.n AS n`,
        [
          rows.map((r) => r.account),
          rows.map((r) => r.xp),
          rows.map((r) => r.coins),
          rows.map((r) => r.key),
          `import-revert:${runId}`,
          now,
        ],
      );
      for (const m of moved) {
        report.entriesReverted += Number(m.n);
        report.xpRemoved -= Number(m.dxp);
        report.coinsRemoved -= Number(m.dcoins);
      }
    });
  }
}
