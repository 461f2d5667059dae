/**
 * What a test holds after sending an interaction: the replies the app made to it, and waits for
 * the answer the user would finally see (a deferred reply only counts once it was edited).
 */
import { MessageFlags, type APIMessage } from 'discord.js';
import type { FakeDiscordState, InteractionRecord } from './state';
import type { InteractionReply } from './types';
import { waitFor } from './wait';

export class InteractionHandle {
  constructor(
    private readonly record: InteractionRecord,
    private readonly state: FakeDiscordState,
  ) {}

  get id(): string {
    return this.record.id;
  }

  get token(): string {
    return this.record.token;
  }

  /** Interaction callback type the app answered with (4, 5, 6, 7, 9), or null so far. */
  get callbackType(): number | null {
    return this.record.callbackType;
  }

  replies(): InteractionReply[] {
    return [...this.record.replies];
  }

  /** The @original response as it stands now (after edits), if there is one. */
  original(): APIMessage | undefined {
    return this.record.originalId ? this.state.findMessage(this.record.originalId) : undefined;
  }

  waitForReply(
    predicate: (reply: InteractionReply) => boolean = () => true,
    timeoutMs = 5_000,
  ): Promise<InteractionReply> {
    return waitFor(
      () => this.record.replies.find(predicate),
      timeoutMs,
      `a reply to interaction ${this.id}`,
    );
  }

  /** The user-visible answer: @original once it is no longer "thinking...". */
  waitForResponse(timeoutMs = 5_000): Promise<APIMessage> {
    return waitFor(
      () => {
        const original = this.original();
        return original && ((original.flags ?? 0) & MessageFlags.Loading) === 0
          ? original
          : undefined;
      },
      timeoutMs,
      `the response to interaction ${this.id}`,
    );
  }
}
