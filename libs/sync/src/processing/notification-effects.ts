import { Injectable, Logger } from '@nestjs/common';
import { withCorrelation } from '@ttfd/common';
import { NotifierRegistry } from '../ports/registries';
import { NotificationPayload } from './notification-fan-out';
import { EventOutcome } from './sync-effects.service';
import { ClaimedEvent } from './sync-event.repository';

/**
 * Sends claimed `notify.dm` rows (lanes `dm:telegram`, `dm:discord`): one message each, to one
 * player on one platform. The row's id is the message's identity on every attempt: Discord's
 * notifier makes it the nonce (`'n' + id`, with enforce_nonce), so a retry within Discord's
 * dedupe window never creates the message twice. Players who turned DMs off are told nothing.
 */
@Injectable()
export class NotificationEffects {
  private readonly logger = new Logger('NotificationEffects');

  constructor(private readonly notifiers: NotifierRegistry) {}

  async apply(events: ClaimedEvent[]): Promise<Map<string, EventOutcome>> {
    const outcomes = new Map<string, EventOutcome>();
    await Promise.all(
      events.map(async (event) => {
        const outcome = await withCorrelation(event.correlationId, () => this.send(event));
        outcomes.set(event.id, outcome);
      }),
    );
    return outcomes;
  }

  private async send(event: ClaimedEvent): Promise<EventOutcome> {
    const payload = event.payload as unknown as NotificationPayload;
    // The player's DM opt-out (accounts.dm_opt_out, set by /settings and the dashboard), read
    // by the claim: roles still follow an opted-out player, only messages are skipped.
    if (event.dmOptOut) {
      return { ok: true, note: 'direct messages turned off: not sent' };
    }
    const notifier = this.notifiers.get(payload.platform);
    if (!notifier)
      return { ok: true, note: `no ${payload.platform} notifier registered: not sent` };
    try {
      const outcome = await notifier.notify(payload.externalId, payload.notification, event.id);
      this.logger.log(
        `${payload.notification.kind} notification to ${payload.platform} user ${payload.externalId}: ${outcome} (event ${payload.parentId})`,
      );
      return { ok: true, note: outcome === 'gone' ? 'recipient gone: not sent' : null };
    } catch (error) {
      return { ok: false, error: `notify: ${payload.platform}: ${(error as Error).message}` };
    }
  }
}
