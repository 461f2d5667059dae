import { Injectable } from '@nestjs/common';
import { Alert as SyncAlert, AlertPublisher } from '@ttfd/sync';
import { AlertService } from './alert.service';

/**
 * The sync engine's AlertPublisher port, routed to the operators' chats (same quiet period and
 * delivery as the evaluated alerts). Reconcile's guards (an empty member list or mapping table,
 * the removal cap) arrive here.
 */
@Injectable()
export class ChatAlertPublisher extends AlertPublisher {
  constructor(private readonly alerts: AlertService) {
    super();
  }

  async publish(alert: SyncAlert): Promise<void> {
    const details = Object.entries(alert.details ?? {})
      .map(([key, value]) => `${key}=${String(value)}`)
      .join(', ');
    await this.alerts.raise({
      kind: alert.kind,
      message: `${alert.message}${details ? ` (${details})` : ''}`,
    });
  }
}
