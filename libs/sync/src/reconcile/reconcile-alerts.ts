import { Injectable, Logger } from '@nestjs/common';
import { Alert, AlertPublisher } from '../ports/alert-publisher';
import { ReconcileTally } from './reconcile-tally';

/**
 * A reconcile alert goes both to the operators and into the run's report. A publisher that
 * fails is logged, never fails the run: the report still records the alert.
 */
@Injectable()
export class ReconcileAlerts {
  private readonly logger = new Logger('Reconcile');

  constructor(private readonly alerts: AlertPublisher) {}

  async raise(tally: ReconcileTally, alert: Alert): Promise<void> {
    tally.alerts.push(alert);
    await this.alerts
      .publish(alert)
      .catch((error: Error) =>
        this.logger.error(`Alert ${alert.kind} not published: ${error.message}`),
      );
  }
}
