import type { Context } from 'telegraf';
import type { Message } from 'telegraf/types';
import { CallbackDataCodec } from '../callbacks/callback-data.codec';
import type { RateLimitedSender } from '../sending/rate-limited-sender';
import { HeldReplies } from './held-replies';
import { Turn } from './turn';

/** A sender whose calls finish only when the test says so. */
class ManualSender {
  readonly log: string[] = [];
  private readonly pending: (() => void)[] = [];

  sendMessage(_chat: number, text: string): Promise<{ message_id: number }> {
    this.log.push(`message:${text}`);
    return this.later({ message_id: 1 });
  }

  sendPhoto(_chat: number, photo: unknown): Promise<Message.PhotoMessage> {
    this.log.push(`photo:${typeof photo === 'string' ? photo : 'upload'}`);
    return this.later({ photo: [{ file_id: 'file-1' }] } as Message.PhotoMessage);
  }

  /** Finishes the oldest call still running. */
  finishNext(): void {
    this.pending.shift()?.();
  }

  private later<T>(value: T): Promise<T> {
    return new Promise((resolve) => this.pending.push(() => resolve(value)));
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('Turn.followWithPhoto', () => {
  it('makes the picture only once the text before it was sent, without holding the release', async () => {
    const sender = new ManualSender();
    const held = new HeldReplies();
    const turn = new Turn(
      { chat: { id: 7 } } as Context,
      { id: 7, is_bot: false, first_name: 'A' },
      sender as unknown as RateLimitedSender,
      new CallbackDataCodec('secret'),
      held,
    );
    const drawn: string[] = [];
    const sentIds: string[] = [];
    await turn.reply('profile');
    await turn.followWithPhoto({
      picture: async () => {
        drawn.push('card');
        return { png: Buffer.from('png'), filename: 'card.png' };
      },
      onRefused: () => undefined,
      onSent: (fileId) => sentIds.push(fileId),
    });
    expect(sender.log).toEqual([]);

    held.release(() => undefined);
    await flush();
    expect(sender.log).toEqual(['message:profile']);
    expect(drawn).toEqual([]);

    sender.finishNext(); // the text was sent: now the card is made and sent
    await flush();
    expect(drawn).toEqual(['card']);
    expect(sender.log).toEqual(['message:profile', 'photo:upload']);
    sender.finishNext();
    await flush();
    expect(sentIds).toEqual(['file-1']);
  });
});
