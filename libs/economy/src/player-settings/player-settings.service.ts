import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';

/** The player's own switches (`accounts.dm_opt_out`, `accounts.leaderboard_hidden`). */
export interface PlayerSettings {
  /** No direct messages from either bot; roles still follow the rank. */
  dmOptOut: boolean;
  /** Shown as "Hidden player" on public leaderboards, keeping the place. */
  leaderboardHidden: boolean;
}

/**
 * Reads and changes a player's settings (/settings in both bots, the dashboard, GraphQL and
 * REST all come here). A merged account's settings are its survivor's.
 */
@Injectable()
export class PlayerSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: AccountsService,
  ) {}

  async get(accountId: string): Promise<PlayerSettings> {
    const owner = await this.accounts.resolveSurvivor(accountId);
    const rows: { dm_opt_out: boolean; leaderboard_hidden: boolean }[] =
      await this.dataSource.query(
        `SELECT dm_opt_out, leaderboard_hidden FROM accounts WHERE id = $1`,
        [owner],
      );
    return { dmOptOut: rows[0].dm_opt_out, leaderboardHidden: rows[0].leaderboard_hidden };
  }

  /** Changes the given switches only; returns the settings as stored. */
  async set(accountId: string, change: Partial<PlayerSettings>): Promise<PlayerSettings> {
    const owner = await this.accounts.resolveSurvivor(accountId);
    const rows: { dm_opt_out: boolean; leaderboard_hidden: boolean }[] =
      await this.dataSource.query(
        `WITH changed AS (
         UPDATE accounts SET dm_opt_out = coalesce($2, dm_opt_out),
                leaderboard_hidden = coalesce($3, leaderboard_hidden), updated_at = now()
          WHERE id = $1 RETURNING dm_opt_out, leaderboard_hidden)
       SELECT * FROM changed`,
        [owner, change.dmOptOut ?? null, change.leaderboardHidden ?? null],
      );
    return { dmOptOut: rows[0].dm_opt_out, leaderboardHidden: rows[0].leaderboard_hidden };
  }

  /** The accounts among `accountIds` hidden from public leaderboards (the bots' /top). */
  async hiddenAmong(accountIds: readonly string[]): Promise<Set<string>> {
    if (accountIds.length === 0) return new Set();
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM accounts WHERE id = ANY($1::bigint[]) AND leaderboard_hidden`,
      [accountIds],
    );
    return new Set(rows.map((row) => String(row.id)));
  }
}
