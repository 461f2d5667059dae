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

/** Tells a player something on one platform. 'gone': the user blocked the bot or left. */
export abstract class Notifier {
  abstract readonly platform: 'telegram' | 'discord';
  abstract notify(externalId: string, notification: Notification): Promise<'sent' | 'gone'>;
}
