import { Notification, Notifier } from '../ports/notifier';

/** Records what would have been told to whom; failures and gone users programmable. */
export class RecordingNotifier extends Notifier {
  readonly sent: { externalId: string; notification: Notification }[] = [];
  readonly gone = new Set<string>();
  private failuresLeft = 0;

  constructor(readonly platform: 'telegram' | 'discord') {
    super();
  }

  failNext(times: number): void {
    this.failuresLeft = times;
  }

  async notify(externalId: string, notification: Notification): Promise<'sent' | 'gone'> {
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error('simulated notifier failure');
    }
    if (this.gone.has(externalId)) return 'gone';
    this.sent.push({ externalId, notification });
    return 'sent';
  }

  to(externalId: string): Notification[] {
    return this.sent.filter((entry) => entry.externalId === externalId).map((e) => e.notification);
  }
}
