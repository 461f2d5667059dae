import { Injectable, Logger } from '@nestjs/common';
import { combinedCorrelationId, withCorrelation } from '@ttfd/common';
import { RankUpListeners } from '../ports/rank-up-listeners';
import { NotifierPlatform } from '../ports/notifier';
import { NotifierRegistry } from '../ports/registries';
import { DmOptOuts } from './dm-opt-outs';
import { RoleConvergenceService } from '../roles/role-convergence.service';
import { affectsRoles, isBulkRoleChange, notificationFor } from './event-notifications';
import { ClaimedEvent, EventIdentity } from './sync-event.repository';

export type EventOutcome =
  | { ok: true; note: string | null }
  /** `delivered`: platforms whose message went out anyway; the retry skips them. */
  | { ok: false; error: string; delivered?: NotifierPlatform[] };

/**
 * The platform effects of claimed events. Events are grouped per account: however many
 * role-affecting events one account has in a batch, its member converges once. Events that
 * change only totals (`xp.changed`, `balance.changed`) have no platform effect at all, not
 * even a role read.
 *
 * Effects run in the correlation of the events they serve (the request, update or Discord
 * event that caused them), so the platform calls' log lines lead back to their cause.
 */
@Injectable()
export class SyncEffectsService {
  private readonly logger = new Logger('SyncEffects');

  constructor(
    private readonly convergence: RoleConvergenceService,
    private readonly notifiers: NotifierRegistry,
    private readonly dmOptOuts: DmOptOuts,
    private readonly rankUps: RankUpListeners,
  ) {}

  async apply(events: ClaimedEvent[]): Promise<Map<string, EventOutcome>> {
    const outcomes = new Map<string, EventOutcome>();
    const withEffects = events.filter(
      (event) =>
        event.accountId !== null &&
        (affectsRoles(event.type) || notificationFor(event.type, event.payload)),
    );
    for (const event of events) {
      if (!withEffects.includes(event)) outcomes.set(event.id, { ok: true, note: null });
    }
    if (withEffects.length === 0) return outcomes;

    const byAccount = new Map<string, ClaimedEvent[]>();
    for (const event of withEffects) {
      byAccount.set(event.accountId!, [...(byAccount.get(event.accountId!) ?? []), event]);
    }
    // Claimed with their events; one member may appear in several events' lists.
    const identities = uniqueIdentities(withEffects.flatMap((event) => event.identities));
    await Promise.all(
      [...byAccount].map(([accountId, accountEvents]) =>
        this.applyForAccount(accountId, accountEvents, identities, outcomes),
      ),
    );
    return outcomes;
  }

  private async applyForAccount(
    accountId: string,
    events: ClaimedEvent[],
    identities: EventIdentity[],
    outcomes: Map<string, EventOutcome>,
  ): Promise<void> {
    const discord = identities.find((i) => i.accountId === accountId && i.platform === 'discord');
    let roleNote: string | null = null;
    let roleError: string | null = null;
    const roleEvents = events.filter((event) => affectsRoles(event.type));
    if (discord && roleEvents.length > 0) {
      try {
        // One convergence serves every role event of the account: its lines carry all their ids.
        const result = await withCorrelation(
          combinedCorrelationId(roleEvents.map((event) => event.correlationId)),
          // A resync is asked for when Discord may differ from what we stored (a rejoin, an
          // admin's repair): it reads the member instead of trusting the stored roles.
          () =>
            this.convergence.convergeHeld(discord.externalId, accountId, {
              fresh: roleEvents.some((event) => event.type === 'roles.resync'),
              // Read by the claim, after the change: no account or mapping read here.
              earned: roleEvents[0].earned,
              // Bulk only when nothing live waits on this convergence.
              bulk: roleEvents.every((event) => isBulkRoleChange(event.type, event.payload)),
            }),
        );
        if (result.status === 'gone') roleNote = 'discord member gone: roles skipped';
        if (result.status === 'no_gateway') roleNote = 'no RoleGateway registered: roles skipped';
      } catch (error) {
        roleError = `roles: ${(error as Error).message}`;
      }
    }
    for (const event of events) {
      if (roleError && affectsRoles(event.type)) {
        outcomes.set(event.id, { ok: false, error: roleError });
        continue;
      }
      const { delivered, error } = await withCorrelation(event.correlationId, () =>
        this.notify(event, accountId, identities),
      ).catch((failure: Error) => ({ delivered: event.deliveredPlatforms, error: failure.message }));
      outcomes.set(
        event.id,
        error
          ? { ok: false, error: `notify: ${error}`, delivered }
          : { ok: true, note: affectsRoles(event.type) ? roleNote : null },
      );
    }
  }

  /**
   * Tells the event to each of the player's platforms not yet told: every platform is tried
   * even when another fails, and the ones told are returned, so a retry caused by one platform
   * never repeats another's message (platforms already told are in `deliveredPlatforms`).
   */
  private async notify(
    event: ClaimedEvent,
    accountId: string,
    identities: EventIdentity[],
  ): Promise<{ delivered: NotifierPlatform[]; error: string | null }> {
    const delivered: NotifierPlatform[] = [...event.deliveredPlatforms];
    const notification = notificationFor(event.type, event.payload);
    if (!notification) return { delivered, error: null };
    if (notification.kind === 'rankUp') {
      // Public announcements (when enabled); a roles.resync never gets here.
      await this.rankUps.rankedUp({
        eventId: event.id,
        accountId,
        fromRank: notification.fromRank,
        toRank: notification.toRank,
      });
    }
    // An unlink is told to both sides: the Telegram side keeps the old account.
    const accounts = new Set([accountId, ...this.relatedAccounts(event)]);
    // Players who turned DMs off are told nothing (their roles still converged above).
    const optedOut = await this.dmOptOuts.of([...accounts]);
    const errors: string[] = [];
    for (const identity of identities.filter(
      (i) =>
        accounts.has(i.accountId) && !optedOut.has(i.accountId) && !delivered.includes(i.platform),
    )) {
      const notifier = this.notifiers.get(identity.platform);
      if (!notifier) continue;
      try {
        const outcome = await notifier.notify(identity.externalId, notification, event.id);
        delivered.push(identity.platform);
        this.logger.log(
          `${notification.kind} notification to ${identity.platform} user ${identity.externalId}: ${outcome} (event ${event.id})`,
        );
      } catch (error) {
        errors.push(`${identity.platform}: ${(error as Error).message}`);
      }
    }
    return { delivered, error: errors.length > 0 ? errors.join('; ') : null };
  }

  private relatedAccounts(event: ClaimedEvent): string[] {
    if (event.type !== 'account.unlinked') return [];
    const telegram = event.payload.telegramAccountId;
    return typeof telegram === 'string' || typeof telegram === 'number' ? [String(telegram)] : [];
  }
}

function uniqueIdentities(identities: EventIdentity[]): EventIdentity[] {
  const byKey = new Map(identities.map((i) => [`${i.platform}:${i.externalId}`, i]));
  return [...byKey.values()];
}
