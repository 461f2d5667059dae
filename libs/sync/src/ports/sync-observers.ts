import { Injectable, Logger } from '@nestjs/common';

export type SyncJobOutcome = 'completed' | 'failed';

/** What the sync engine reports as it runs (observability turns it into metrics). */
export interface SyncObserver {
  eventsCreated(types: string[]): void;
  eventsCompleted(types: string[]): void;
  eventsFailed(types: string[]): void;
  jobFinished(queue: string, name: string, seconds: number, outcome: SyncJobOutcome): void;
}

/**
 * Observers registered at boot. The sync engine reports here instead of importing
 * observability (which imports the sync engine's ports): no cycle between the two libraries.
 * An observer that throws is logged and skipped; it never fails the work it observes.
 */
@Injectable()
export class SyncObservers implements SyncObserver {
  private readonly logger = new Logger('SyncObservers');
  private readonly observers: SyncObserver[] = [];

  register(observer: SyncObserver): void {
    this.observers.push(observer);
  }

  eventsCreated(types: string[]): void {
    if (types.length > 0) this.each((o) => o.eventsCreated(types));
  }

  eventsCompleted(types: string[]): void {
    if (types.length > 0) this.each((o) => o.eventsCompleted(types));
  }

  eventsFailed(types: string[]): void {
    if (types.length > 0) this.each((o) => o.eventsFailed(types));
  }

  jobFinished(queue: string, name: string, seconds: number, outcome: SyncJobOutcome): void {
    this.each((o) => o.jobFinished(queue, name, seconds, outcome));
  }

  private each(report: (observer: SyncObserver) => void): void {
    for (const observer of this.observers) {
      try {
        report(observer);
      } catch (error) {
        this.logger.warn(`A sync observer failed: ${(error as Error).message}`);
      }
    }
  }
}
