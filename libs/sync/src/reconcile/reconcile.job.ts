import { Injectable, Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { inTransaction } from '@ttfd/database';
import { OutboxWriter } from '../outbox/outbox.writer';
import { Alert, AlertPublisher } from '../ports/alert-publisher';
import { AccountRecomputeRegistry, RoleGatewayRegistry } from '../ports/registries';
import { JobHandler } from '../queues/job-handler';
import { chunk } from '../queues/sync-jobs';
import { RoleConvergenceService } from '../roles/role-convergence.service';
import { RoleMappingsRepository } from '../roles/role-mappings.repository';
import { planRoleChanges } from '../roles/role-plan';
import { ReadCountersCheck } from './read-counters.check';
import { ReconcileScope } from './reconcile-scope';
import { SeasonScoresCheck } from './season-scores.check';

export type ReconcileMode = 'full' | 'incremental';

export interface ReconcileJobData {
  trigger: 'schedule' | 'manual';
  /** Unset: a manual run is full, a scheduled run incremental. */
  mode?: ReconcileMode;
}

interface Counters {
  checked: Record<string, number>;
  drifted: Record<string, number>;
  fixed: Record<string, number>;
  alerts: Alert[];
}

interface AccountRow {
  id: string;
  xp: string;
  coins: string;
  rank_id: number;
  ledger_xp: string;
  ledger_coins: string;
  ledger_rank: number;
}

const ACCOUNT_CHECK_SQL = `
  SELECT a.id, a.xp, a.coins, a.rank_id,
         COALESCE(s.xp, 0) AS ledger_xp, COALESCE(s.coins, 0) AS ledger_coins,
         rank_for_xp(COALESCE(s.xp, 0)::bigint) AS ledger_rank
    FROM accounts a
    LEFT JOIN LATERAL (SELECT sum(xp_delta) AS xp, sum(coins_delta) AS coins
                         FROM ledger_entries l WHERE l.account_id = a.id) s ON true`;

/**
 * Flow 4: finds and repairs drift. Two kinds of run, named in the report's `mode`:
 * - full (a manual run, or `mode: 'full'`): totals against ledger sums and stored rank against
 *   XP for every account in keyset batches, every season score, and the counter read models;
 * - incremental (the schedule): only the accounts whose ledger changed since the watermark plus
 *   the rolling full pass's next slice (ReconcileScope); the counters once per rolling cycle.
 * Both then check every guild member's managed roles against what their account
 * earns, from listing pages, repaired through the same per-member convergence the sync uses.
 * Guards: an empty member list, a listing that fails midway or an empty rank mapping never
 * strip roles; removals per run are capped. Each run leaves a report in reconcile_reports.
 */
@Injectable()
@JobHandler('reconcile.run')
export class ReconcileJob {
  private readonly logger = new Logger('Reconcile');

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly gateways: RoleGatewayRegistry,
    private readonly recompute: AccountRecomputeRegistry,
    private readonly convergence: RoleConvergenceService,
    private readonly mappings: RoleMappingsRepository,
    private readonly alerts: AlertPublisher,
    private readonly seasonScores: SeasonScoresCheck,
    private readonly readCounters: ReadCountersCheck,
    private readonly scope: ReconcileScope,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async handle(data: ReconcileJobData, job: Job): Promise<Counters | null> {
    const jobId = job.id ?? `reconcile-unknown-${this.clock.nowMs()}`;
    const mode: ReconcileMode = data.mode ?? (data.trigger === 'manual' ? 'full' : 'incremental');
    const started: { status: string }[] = await this.dataSource.query(
      `INSERT INTO reconcile_reports (job_id, trigger, mode, status, started_at)
       VALUES ($1, $2, $3, 'running', $4)
       ON CONFLICT (job_id) DO UPDATE SET status = 'running', started_at = EXCLUDED.started_at,
              error = NULL, finished_at = NULL
         WHERE reconcile_reports.status <> 'completed'
       RETURNING status`,
      [jobId, data.trigger, mode, this.clock.now()],
    );
    if (started.length === 0) return null; // this slot already ran
    const counters: Counters = {
      checked: { accounts: 0, seasonScores: 0, counters: 0, members: 0, unknownMembers: 0 },
      drifted: { totals: 0, rank: 0, seasonScores: 0, counters: 0, rolesMissing: 0, rolesExtra: 0 },
      fixed: { totals: 0, rank: 0, seasonScores: 0, counters: 0, rolesAdded: 0, rolesRemoved: 0 },
      alerts: [],
    };
    try {
      if (mode === 'full') await this.fullPass(counters);
      else await this.incrementalPass(counters);
      await this.checkRoles(counters);
      await this.save(jobId, 'completed', counters, null);
      this.logger.log(
        `Reconcile ${jobId}: checked ${JSON.stringify(counters.checked)}, drifted ${JSON.stringify(
          counters.drifted,
        )}, fixed ${JSON.stringify(counters.fixed)}, ${counters.alerts.length} alert(s)`,
      );
      return counters;
    } catch (error) {
      await this.raise(counters, {
        kind: 'reconcile_failed',
        message: `Reconcile ${jobId} failed: ${(error as Error).message}`,
      });
      await this.save(jobId, 'failed', counters, (error as Error).message);
      throw error;
    }
  }

  private async fullPass(counters: Counters): Promise<void> {
    const highest = await this.scope.highestLedgerId();
    await this.checkAllAccounts(counters);
    this.addOutcome(counters, 'seasonScores', await this.seasonScores.run());
    this.addOutcome(counters, 'counters', await this.readCounters.run());
    await this.scope.fullPassDone(highest);
  }

  /** What changed since the watermark, plus the rolling full pass's next slice. */
  private async incrementalPass(counters: Counters): Promise<void> {
    const scope = await this.scope.incremental();
    const accountIds = [...new Set([...scope.changed, ...scope.rolling])];
    counters.checked.accountsChanged = scope.changed.length;
    counters.checked.accountsRolling = scope.rolling.length;
    const batch = this.config.env.RECONCILE_BATCH_SIZE;
    for (let i = 0; i < accountIds.length; i += batch) {
      const rows: AccountRow[] = await this.dataSource.query(
        `${ACCOUNT_CHECK_SQL} WHERE a.merged_into IS NULL AND a.id = ANY($1::bigint[])`,
        [accountIds.slice(i, i + batch)],
      );
      await this.checkRows(rows, counters);
    }
    this.addOutcome(counters, 'seasonScores', await this.seasonScores.runFor(accountIds));
    if (scope.cycleEnds) {
      counters.checked.rollingCycleEnded = 1;
      this.addOutcome(counters, 'counters', await this.readCounters.run());
    }
    await scope.advance();
  }

  private addOutcome(
    counters: Counters,
    kind: string,
    outcome: { checked: number; drifted: number; fixed: number },
  ): void {
    counters.checked[kind] = (counters.checked[kind] ?? 0) + outcome.checked;
    counters.drifted[kind] = (counters.drifted[kind] ?? 0) + outcome.drifted;
    counters.fixed[kind] = (counters.fixed[kind] ?? 0) + outcome.fixed;
  }

  private async checkAllAccounts(counters: Counters): Promise<void> {
    let after = '0';
    for (;;) {
      const rows: AccountRow[] = await this.dataSource.query(
        `${ACCOUNT_CHECK_SQL} WHERE a.merged_into IS NULL AND a.id > $1 ORDER BY a.id LIMIT $2`,
        [after, this.config.env.RECONCILE_BATCH_SIZE],
      );
      if (rows.length === 0) return;
      after = String(rows[rows.length - 1].id);
      await this.checkRows(rows, counters);
      if (rows.length < this.config.env.RECONCILE_BATCH_SIZE) return;
    }
  }

  private async checkRows(rows: AccountRow[], counters: Counters): Promise<void> {
    counters.checked.accounts += rows.length;
    for (const row of rows) {
      const totalsDrift = row.xp !== row.ledger_xp || row.coins !== row.ledger_coins;
      const rankDrift = Number(row.rank_id) !== Number(row.ledger_rank);
      if (!totalsDrift && !rankDrift) continue;
      if (totalsDrift) counters.drifted.totals += 1;
      if (rankDrift) counters.drifted.rank += 1;
      const repaired = await this.repairAccount(String(row.id));
      if (repaired.totals) counters.fixed.totals += 1;
      if (repaired.rank) counters.fixed.rank += 1;
    }
  }

  /** The recompute re-reads under the row lock: an award committed since the scan is not "drift". */
  private async repairAccount(accountId: string): Promise<{ totals: boolean; rank: boolean }> {
    return inTransaction(this.dataSource, undefined, async (tx) => {
      const { before, after } = await this.recompute.get().recompute(tx, accountId);
      const totals = before.xp !== after.xp || before.coins !== after.coins;
      const rank = before.rankId !== after.rankId;
      if (rank) {
        await this.outbox.append(tx, [
          {
            type: 'roles.resync',
            source: 'system',
            accountId,
            payload: { reason: 'reconcile', from: before.rankId, to: after.rankId },
          },
        ]);
      }
      return { totals, rank };
    });
  }

  private async checkRoles(counters: Counters): Promise<void> {
    const gateway = this.gateways.get();
    if (!gateway) {
      this.logger.warn('No RoleGateway registered: roles not reconciled');
      counters.checked.rolesSkipped = 1;
      return;
    }
    const { managed } = await this.mappings.targets([]);
    const rankMapped: { n: string }[] = await this.dataSource.query(
      `SELECT count(*) AS n FROM rank_role_mappings WHERE discord_role_id IS NOT NULL`,
    );
    let removals = true;
    if (managed.length === 0 || Number(rankMapped[0].n) === 0) {
      await this.raise(counters, {
        kind: 'reconcile_empty_mapping',
        message: 'No rank role is mapped: reconcile removes no roles until mappings are set',
      });
      removals = false;
      if (managed.length === 0) return;
    }

    const members: { userId: string; roles: string[] }[] = [];
    const pageSize = this.config.env.RECONCILE_MEMBER_PAGE_SIZE;
    let after: string | null = null;
    try {
      for (;;) {
        const page = await gateway.listMembers(after, pageSize);
        members.push(...page.members);
        if (page.members.length < pageSize) break;
        after = page.members[page.members.length - 1].userId;
      }
    } catch (error) {
      await this.raise(counters, {
        kind: 'reconcile_member_list_failed',
        message: `Member listing failed after ${members.length} member(s): ${(error as Error).message}; no roles removed`,
      });
      removals = false;
    }
    if (members.length === 0) {
      if (counters.alerts.every((a) => a.kind !== 'reconcile_member_list_failed')) {
        await this.raise(counters, {
          kind: 'reconcile_empty_member_list',
          message: 'The guild listed no members: roles not reconciled',
        });
      }
      return;
    }

    const budget = { remaining: this.config.env.RECONCILE_MAX_REMOVALS, capped: false };
    for (const page of chunk(members, 500)) {
      const identities: { external_id: string; account_id: string }[] = await this.dataSource.query(
        `SELECT external_id, account_id FROM identities
          WHERE platform = 'discord' AND external_id = ANY($1::text[])`,
        [page.map((m) => m.userId)],
      );
      const accountOf = new Map(identities.map((i) => [i.external_id, String(i.account_id)]));
      const { wanted } = await this.mappings.targets([...new Set(accountOf.values())]);
      counters.checked.members += page.length;
      for (const member of page) {
        const accountId = accountOf.get(member.userId);
        if (!accountId) {
          // Never seen by the bots: no account, nothing we manage for them.
          counters.checked.unknownMembers += 1;
          continue;
        }
        const plan = planRoleChanges(member.roles, wanted.get(accountId) ?? [], managed);
        if (plan.add.length === 0 && plan.remove.length === 0) continue;
        counters.drifted.rolesMissing += plan.add.length;
        counters.drifted.rolesExtra += plan.remove.length;
        try {
          const result = await this.convergence.converge(member.userId, accountId, {
            removals,
            removalBudget: budget,
          });
          counters.fixed.rolesAdded += result.added.length;
          counters.fixed.rolesRemoved += result.removed.length;
        } catch (error) {
          this.logger.warn(
            `Roles of member ${member.userId} not repaired: ${(error as Error).message}`,
          );
        }
      }
    }
    if (budget.capped) {
      await this.raise(counters, {
        kind: 'reconcile_removal_cap',
        message: `Reached RECONCILE_MAX_REMOVALS (${this.config.env.RECONCILE_MAX_REMOVALS}): further removals skipped`,
      });
    }
  }

  private async raise(counters: Counters, alert: Alert): Promise<void> {
    counters.alerts.push(alert);
    await this.alerts
      .publish(alert)
      .catch((error: Error) =>
        this.logger.error(`Alert ${alert.kind} not published: ${error.message}`),
      );
  }

  private async save(
    jobId: string,
    status: 'completed' | 'failed',
    counters: Counters,
    error: string | null,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE reconcile_reports
          SET status = $2, checked = $3, drifted = $4, fixed = $5, alerts = $6, error = $7,
              finished_at = $8
        WHERE job_id = $1`,
      [
        jobId,
        status,
        JSON.stringify(counters.checked),
        JSON.stringify(counters.drifted),
        JSON.stringify(counters.fixed),
        JSON.stringify(counters.alerts.map((a) => ({ kind: a.kind, message: a.message }))),
        error,
        this.clock.now(),
      ],
    );
  }
}
