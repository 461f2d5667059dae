import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@ttfd/config';
import { AlertPublisher } from '@ttfd/sync';
import { ALERT_CHANNELS, alertChannels } from './alert-channels';
import { AlertEvaluator } from './alert.evaluator';
import { AlertQuietPeriod } from './alert-quiet-period';
import { AlertService } from './alert.service';
import { ChatAlertPublisher } from './chat-alert.publisher';

/**
 * Alerts to the operators' chats; every role can raise one, the scheduler role evaluates.
 * Also binds the sync engine's AlertPublisher port to the chats: this global module is imported
 * before the sync's OutboxModule (app.module.ts), so its binding is the one Nest finds first
 * (checked by hand: ReconcileJob receives ChatAlertPublisher; a behavioural e2e test that trips
 * a reconcile guard and sees the chat message is still to be written).
 */
@Global()
@Module({
  providers: [
    { provide: ALERT_CHANNELS, inject: [AppConfig], useFactory: alertChannels },
    AlertQuietPeriod,
    AlertService,
    AlertEvaluator,
    ChatAlertPublisher,
    { provide: AlertPublisher, useExisting: ChatAlertPublisher },
  ],
  exports: [AlertService, AlertEvaluator, AlertPublisher],
})
export class AlertsModule {}
