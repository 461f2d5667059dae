/**
 * What the sync tells a player. Texts and locale are the bots' business (they know the
 * player's language from the identity); the core only says what happened.
 */
export type Notification =
  | { kind: 'rankUp'; fromRank: number; toRank: number; xp: number }
  | { kind: 'rankDown'; fromRank: number; toRank: number; xp: number }
  | { kind: 'achievement'; code: string }
  | { kind: 'linked' }
  | { kind: 'unlinked' }
  /** A code of theirs was typed in a group chat and no longer works: get a new one privately. */
  | { kind: 'linkCodeBurned' };

export type NotificationKind = Notification['kind'];

export type NotifierPlatform = 'telegram' | 'discord';

/**
 * Tells a player something on one platform. 'gone': the user blocked the bot or left.
 * `eventId` is the message's own outbox row (`notify.dm`): the same on every attempt, so a
 * platform that can refuse a repeat (Discord's message nonce) sends it once even when a worker
 * dies between sending and settling.
 */
export abstract class Notifier {
  abstract readonly platform: NotifierPlatform;
  abstract notify(
    externalId: string,
    notification: Notification,
    eventId?: string,
  ): Promise<'sent' | 'gone'>;
}
