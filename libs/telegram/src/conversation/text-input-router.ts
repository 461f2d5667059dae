import { Injectable } from '@nestjs/common';
import type { Turn } from './turn';

/** Something that may want a player's plain text (e.g. a running guess game). */
export interface TextInputHandler {
  /** True when it took the text. */
  tryHandle(turn: Turn, text: string): Promise<boolean>;
}

/** Offers plain text to the features that wait for typed input; otherwise points to /help. */
@Injectable()
export class TextInputRouter {
  private readonly handlers: TextInputHandler[] = [];

  register(handler: TextInputHandler): void {
    this.handlers.push(handler);
  }

  async handle(turn: Turn, text: string): Promise<void> {
    for (const handler of this.handlers) {
      if (await handler.tryHandle(turn, text)) return;
    }
    await turn.reply(turn.t('telegram.text.notUnderstood'));
  }
}
