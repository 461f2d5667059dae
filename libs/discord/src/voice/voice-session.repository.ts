import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inTransaction, mutateReturning, Tx } from '@ttfd/database';

/** The session row as a checkpoint sees it. */
export interface VoiceSessionRow {
  accountId: string;
  status: 'open' | 'closed';
  owner: string | null;
}

/**
 * The `voice_sessions` table: one open row per member in voice, owned by the tracker that opened
 * it (`owner`) and checkpointed only by that tracker while it is open (the fence). Owners are
 * `{start time, zero-padded}:{random}`, so they sort by when their process started.
 */
@Injectable()
export class VoiceSessionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Closes what older trackers left open: a previous process, or one still running during a
   * deploy overlap (its next checkpoint finds its row closed and stops). Their checkpoints
   * already credited every whole minute up to the last checkpoint; the time after it is never
   * paid: the session ends at its checkpoint. Returns how many rows it closed.
   */
  async closeLeftOpen(owner: string): Promise<number> {
    const rows = await mutateReturning<{ id: string }>(
      this.dataSource,
      `UPDATE voice_sessions SET status = 'closed', closed_at = last_checkpoint_at
        WHERE status = 'open' AND (owner IS NULL OR owner < $1) RETURNING id`,
      [owner],
    );
    return rows.length;
  }

  /**
   * Opens this tracker's session for a member, or null when a newer tracker holds the member's
   * open session (owners sort by start time: the newest process wins a deploy overlap). An older
   * tracker's open row (or a stale one of ours, whose final credit never landed) is closed at
   * its last checkpoint first, which fences its checkpoints off.
   */
  async open(input: {
    accountId: string;
    discordUserId: string;
    channelId: string;
    at: Date;
    owner: string;
  }): Promise<string | null> {
    return inTransaction(this.dataSource, undefined, async ({ manager }) => {
      await manager.query(
        `UPDATE voice_sessions SET status = 'closed', closed_at = last_checkpoint_at
          WHERE discord_user_id = $1 AND status = 'open' AND (owner IS NULL OR owner <= $2)`,
        [input.discordUserId, input.owner],
      );
      const rows: { id: string }[] = await manager.query(
        `INSERT INTO voice_sessions
           (account_id, discord_user_id, channel_id, status, started_at, last_checkpoint_at, owner)
         VALUES ($1, $2, $3, 'open', $4, $4, $5)
         ON CONFLICT DO NOTHING RETURNING id`,
        [input.accountId, input.discordUserId, input.channelId, input.at, input.owner],
      );
      return rows[0] ? String(rows[0].id) : null;
    });
  }

  /** The row without a lock: which account to lock first (accounts before voice_sessions). */
  async read(tx: Tx, sessionId: string): Promise<VoiceSessionRow | null> {
    return this.select(tx, sessionId, false);
  }

  /** The row, locked: taken after its account's lock (docs/economy-and-games.md, lock order). */
  async lock(tx: Tx, sessionId: string): Promise<VoiceSessionRow | null> {
    return this.select(tx, sessionId, true);
  }

  /** Stores a checkpoint; fenced: only while the row is open and owned by `owner`. */
  async checkpoint(
    tx: Tx,
    input: {
      sessionId: string;
      owner: string;
      channelId: string;
      earningMs: number;
      creditedMinutes: number;
      at: Date;
      close: boolean;
    },
  ): Promise<boolean> {
    const rows = await mutateReturning<{ id: string }>(
      tx.manager,
      `UPDATE voice_sessions
          SET earning_ms = $2, credited_minutes = $3, last_checkpoint_at = $4, channel_id = $5,
              status = CASE WHEN $6::boolean THEN 'closed' ELSE status END,
              closed_at = CASE WHEN $6::boolean THEN $4 ELSE closed_at END
        WHERE id = $1 AND status = 'open' AND owner = $7
        RETURNING id`,
      [
        input.sessionId,
        input.earningMs,
        input.creditedMinutes,
        input.at,
        input.channelId,
        input.close,
        input.owner,
      ],
    );
    return rows.length > 0;
  }

  private async select(tx: Tx, sessionId: string, lock: boolean): Promise<VoiceSessionRow | null> {
    const [row]: { account_id: string; status: 'open' | 'closed'; owner: string | null }[] =
      await tx.manager.query(
        `SELECT account_id, status, owner FROM voice_sessions WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
        [sessionId],
      );
    return row ? { accountId: String(row.account_id), status: row.status, owner: row.owner } : null;
  }
}
