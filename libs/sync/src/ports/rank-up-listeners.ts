import { Injectable } from '@nestjs/common';

/** A rank gained, as the sync engine processes its `rank.changed` event. */
export interface RankUp {
  /** The outbox event's id: names the rank-up for good (a retried event is the same one). */
  eventId: string;
  accountId: string;
  fromRank: number;
  toRank: number;
}

export type RankUpListener = (rankUp: RankUp) => Promise<void>;

/**
 * Who hears of a rank-up while its event is processed (the rank-up announcements of
 * @ttfd/economy register here, as the bots register their notifiers). Only `rank.changed`
 * upward reaches it: a `roles.resync` (mass change, import) never does, and imports write no
 * `rank.changed` at all.
 */
@Injectable()
export class RankUpListeners {
  private readonly listeners: RankUpListener[] = [];

  register(listener: RankUpListener): void {
    this.listeners.push(listener);
  }

  async rankedUp(rankUp: RankUp): Promise<void> {
    for (const listener of this.listeners) await listener(rankUp);
  }
}
