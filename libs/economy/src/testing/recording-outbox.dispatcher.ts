import { OutboxDispatcher } from '@ttfd/sync';

/** Records what would have been put on the queue after commit. */
export class RecordingOutboxDispatcher extends OutboxDispatcher {
  readonly dispatched: string[] = [];

  dispatch(eventIds: string[]): void {
    this.dispatched.push(...eventIds);
  }
}
