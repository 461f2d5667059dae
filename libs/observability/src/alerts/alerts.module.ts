import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@ttfd/config';
import { AlertPublisher } from '@ttfd/sync';
import { ALERT_CHANNELS, alertChannels } from './alert-channels';
import { AlertEvaluator } from './alert.evaluator';
import { AlertQuietPeriod } from './alert-quiet-period';
import { AlertService } from './alert.service';
import { PlatformCalls } from '../platform/platform-calls';
import { ChatAlertPublisher } from './chat-alert.publisher';

/**
 * Alerts to the operators' chats; every role can raise one, the scheduler role evaluates.
 * Also the only binding of the sync engine's AlertPublisher port: reconcile's guards reach the
 * chats (test/observability/reconcile-alert.e2e-spec.ts).
 */
@Global()
@Module({
  providers: [
    { provide: ALERT_CHANNELS, inject: [AppConfig, PlatformCalls], useFactory: alertChannels },
    AlertQuietPeriod,
    AlertService,
    AlertEvaluator,
    ChatAlertPublisher,
    { provide: AlertPublisher, useExisting: ChatAlertPublisher },
  ],
  exports: [AlertService, AlertEvaluator, AlertPublisher],
})
export class AlertsModule {}
