import { Injectable } from '@nestjs/common';
import { combinedCorrelationId, withCorrelation } from '@ttfd/common';
import { RankUpListeners } from '../ports/rank-up-listeners';
import { NotifierPlatform } from '../ports/notifier';
import { AppliedRoles } from '../roles/applied-roles';
import { BatchAppliedRoles } from '../roles/batch-applied-roles';
import { RoleConvergenceService } from '../roles/role-convergence.service';
import { affectsRoles, isBulkRoleChange, notificationFor } from './event-notifications';
import { ClaimedEvent } from './sync-event.repository';

export type EventOutcome =
  | { ok: true; note: string | null }
  /**
   * `delivered`: platforms whose message went out anyway (rows from before notifications had
   * lanes of their own); `final`: no retry, the row is failed at once.
   */
  | { ok: false; error: string; delivered?: NotifierPlatform[]; final?: boolean };

export interface BatchEffects {
  outcomes: Map<string, EventOutcome>;
  /** The members' roles for the batch's settle to store (BatchAppliedRoles.toStore). */
  appliedRoles: { member: string; roleIds: string[] }[];
}

/**
 * The role effects of claimed events (lanes `roles`, `roles-bulk`). Events are grouped per
 * account: however many role-affecting events one account has in a batch, its member converges
 * once, under the lease the claim took. Messages to the player are not sent here: the worker
 * writes one `notify.dm` row per platform (NotificationFanOut) when it settles the batch, and
 * each platform's lane sends them, so a failing platform never holds a role change nor repeats
 * the other platform's message. A rank-up's public announcement (RankUpListeners) stays here.
 *
 * Effects run in the correlation of the events they serve (the request, update or Discord
 * event that caused them), so the platform calls' log lines lead back to their cause.
 */
@Injectable()
export class SyncEffectsService {
  constructor(
    private readonly convergence: RoleConvergenceService,
    private readonly rankUps: RankUpListeners,
    private readonly applied: AppliedRoles,
  ) {}

  async apply(events: ClaimedEvent[]): Promise<BatchEffects> {
    const outcomes = new Map<string, EventOutcome>();
    const appliedRoles = new BatchAppliedRoles(this.applied, events);
    const byAccount = new Map<string, ClaimedEvent[]>();
    for (const event of events) {
      if (event.accountId === null || !affectsRoles(event.type)) {
        outcomes.set(event.id, { ok: true, note: null });
        continue;
      }
      byAccount.set(event.accountId, [...(byAccount.get(event.accountId) ?? []), event]);
    }
    await Promise.all(
      [...byAccount].map(([accountId, accountEvents]) =>
        this.applyForAccount(accountId, accountEvents, outcomes, appliedRoles),
      ),
    );
    await this.announceRankUps(events, outcomes);
    return { outcomes, appliedRoles: appliedRoles.toStore() };
  }

  private async applyForAccount(
    accountId: string,
    events: ClaimedEvent[],
    outcomes: Map<string, EventOutcome>,
    appliedRoles: BatchAppliedRoles,
  ): Promise<void> {
    // The claim leased this member to the batch (the same identity the claim keyed it by).
    const member = events.find((event) => event.member !== null)?.member ?? null;
    let outcome: EventOutcome = { ok: true, note: null };
    if (member !== null) {
      try {
        // One convergence serves every role event of the account: its lines carry all their ids.
        const result = await withCorrelation(
          combinedCorrelationId(events.map((event) => event.correlationId)),
          // A resync is asked for when Discord may differ from what we stored (a rejoin, an
          // admin's repair): it reads the member instead of trusting the stored roles. A mass
          // change's resync (a remapped role, an import) changed nothing in Discord: it plans
          // from the stored roles, so its calls are the real changes.
          () =>
            this.convergence.convergeHeld(member, accountId, appliedRoles.of(member), {
              fresh: events.some(
                (event) =>
                  event.type === 'roles.resync' && !isBulkRoleChange(event.type, event.payload),
              ),
              // Read by the claim, after the change: no account or mapping read here.
              earned: events[0].earned,
              // Bulk only when nothing live waits on this convergence.
              bulk: events.every((event) => isBulkRoleChange(event.type, event.payload)),
            }),
        );
        if (result.status === 'gone')
          outcome = { ok: true, note: 'discord member gone: roles skipped' };
        if (result.status === 'no_gateway') {
          outcome = { ok: true, note: 'no RoleGateway registered: roles skipped' };
        }
      } catch (error) {
        appliedRoles.unknown(member);
        outcome = { ok: false, error: `roles: ${(error as Error).message}` };
      }
    }
    for (const event of events) outcomes.set(event.id, outcome);
  }

  /**
   * Public announcements of rank-ups (when enabled), once per attempt of their event; one that
   * fails fails its event (the announcer dedupes by event id).
   */
  private async announceRankUps(
    events: ClaimedEvent[],
    outcomes: Map<string, EventOutcome>,
  ): Promise<void> {
    for (const event of events) {
      const notification = notificationFor(event.type, event.payload);
      if (notification?.kind !== 'rankUp' || event.accountId === null) continue;
      try {
        await withCorrelation(event.correlationId, () =>
          this.rankUps.rankedUp({
            eventId: event.id,
            accountId: event.accountId!,
            fromRank: notification.fromRank,
            toRank: notification.toRank,
          }),
        );
      } catch (error) {
        outcomes.set(event.id, { ok: false, error: `announce: ${(error as Error).message}` });
      }
    }
  }
}
