import { Injectable } from '@nestjs/common';
import type { Message } from 'telegraf/types';
import type { Turn } from '../conversation/turn';

export type CallbackHandler = (
  turn: Turn,
  args: string[],
  message: Message | undefined,
) => Promise<void>;

/**
 * Button actions by their short name. Features register theirs at init; the callback router
 * verifies the data's MAC first, so a handler only ever sees buttons this bot made for this user.
 */
@Injectable()
export class CallbackRegistry {
  private readonly handlers = new Map<string, CallbackHandler>();

  register(action: string, handler: CallbackHandler): void {
    if (this.handlers.has(action)) throw new Error(`Two handlers for button action "${action}"`);
    this.handlers.set(action, handler);
  }

  get(action: string): CallbackHandler | undefined {
    return this.handlers.get(action);
  }
}
