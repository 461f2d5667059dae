import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Tx } from '@ttfd/database';

/** The `voice_sessions` table: one open row per member in voice, checkpointed by the tracker. */
@Injectable()
export class VoiceSessionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Closes what a previous process left open. Its checkpoints already credited every whole
   * minute up to the last checkpoint (in the same transaction as the ledger rows); the time
   * after it, and the downtime, are never paid: the session ends at its checkpoint.
   */
  async closeLeftOpen(): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `UPDATE voice_sessions SET status = 'closed', closed_at = last_checkpoint_at
        WHERE status = 'open' RETURNING id`,
    );
    return rows.length;
  }

  async open(input: {
    accountId: string;
    discordUserId: string;
    channelId: string;
    at: Date;
  }): Promise<string> {
    const [row]: { id: string }[] = await this.dataSource.query(
      `INSERT INTO voice_sessions
         (account_id, discord_user_id, channel_id, status, started_at, last_checkpoint_at)
       VALUES ($1, $2, $3, 'open', $4, $4) RETURNING id`,
      [input.accountId, input.discordUserId, input.channelId, input.at],
    );
    return String(row.id);
  }

  /**
   * Locks the session row and returns the account to credit: read from the row, not memory,
   * because /unlink moves an open session to the member's new account.
   */
  async lockForCheckpoint(tx: Tx, sessionId: string): Promise<string> {
    const [row]: { account_id: string }[] = await tx.manager.query(
      `SELECT account_id FROM voice_sessions WHERE id = $1 FOR UPDATE`,
      [sessionId],
    );
    if (!row) throw new Error(`voice session ${sessionId} vanished`);
    return String(row.account_id);
  }

  async checkpoint(
    tx: Tx,
    input: {
      sessionId: string;
      channelId: string;
      earningMs: number;
      creditedMinutes: number;
      at: Date;
      close: boolean;
    },
  ): Promise<void> {
    await tx.manager.query(
      `UPDATE voice_sessions
          SET earning_ms = $2, credited_minutes = $3, last_checkpoint_at = $4, channel_id = $5,
              status = CASE WHEN $6::boolean THEN 'closed' ELSE status END,
              closed_at = CASE WHEN $6::boolean THEN $4 ELSE closed_at END
        WHERE id = $1`,
      [
        input.sessionId,
        input.earningMs,
        input.creditedMinutes,
        input.at,
        input.channelId,
        input.close,
      ],
    );
  }
}
