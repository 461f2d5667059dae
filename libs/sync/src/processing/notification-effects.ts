import { Injectable, Logger } from '@nestjs/common';
import { withCorrelation } from '@ttfd/common';
import { NotifierRegistry } from '../ports/registries';
import { DmOptOuts } from './dm-opt-outs';
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

  constructor(
    private readonly notifiers: NotifierRegistry,
    private readonly dmOptOuts: DmOptOuts,
  ) {}

  async apply(events: ClaimedEvent[]): Promise<Map<string, EventOutcome>> {
    const outcomes = new Map<string, EventOutcome>();
    const optedOut = await this.dmOptOuts.of([
      ...new Set(events.flatMap((event) => (event.accountId === null ? [] : [event.accountId]))),
    ]);
    await Promise.all(
      events.map(async (event) => {
        const outcome = await withCorrelation(event.correlationId, () =>
          this.send(event, optedOut),
        );
        outcomes.set(event.id, outcome);
      }),
    );
    return outcomes;
  }

  private async send(event: ClaimedEvent, optedOut: Set<string>): Promise<EventOutcome> {
    const payload = event.payload as unknown as NotificationPayload;
    if (event.accountId !== null && optedOut.has(event.accountId)) {
      return { ok: true, note: 'direct messages turned off: not sent' };
    }
    const notifier = this.notifiers.get(payload.platform);
    if (!notifier)
      return { ok: true, note: `no ${payload.platform} notifier registered: not sent` };
    try {
      const outcome = await notifier.notify(payload.externalId, payload.notification, event.id);
      this.logger.log(
        `${payload.notification.kind} notification to ${payload.platform} user ${payload.externalId}: ${outcome} (event ${payload.parentId}, message ${event.id})`,
      );
      return { ok: true, note: outcome === 'gone' ? 'recipient gone: not sent' : null };
    } catch (error) {
      return { ok: false, error: `notify: ${payload.platform}: ${(error as Error).message}` };
    }
  }
}
