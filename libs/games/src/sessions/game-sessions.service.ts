import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { inTransaction, Tx } from '@ttfd/database';
import { AccountsService } from '@ttfd/economy';
import { GamesError } from '../games.error';

export type GameKind = 'guess' | 'quiz';
export type GameStatus = 'active' | 'won' | 'lost' | 'abandoned';

export interface GameSession<S> {
  id: string;
  accountId: string;
  game: GameKind;
  status: GameStatus;
  state: S;
}

interface SessionRow {
  id: string;
  account_id: string;
  game: GameKind;
  status: GameStatus;
  state: unknown;
}

/**
 * State of running games in `game_sessions`. One active game of a kind per account (a unique
 * partial index): starting while one is active returns the active one, so a double tap or a
 * second device resumes instead of dealing a new secret.
 */
@Injectable()
export class GameSessionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: AccountsService,
    private readonly clock: Clock,
  ) {}

  /** The active game of this kind, or a new one with `initial()` as its state. */
  async startOrResume<S>(
    accountId: string,
    game: GameKind,
    initial: (tx: Tx, accountId: string) => Promise<S> | S,
  ): Promise<{ session: GameSession<S>; resumed: boolean }> {
    return inTransaction(this.dataSource, undefined, async (tx) => {
      const owner = await this.accounts.resolveSurvivor(accountId, tx, true);
      const active = await this.active<S>(tx, owner, game);
      if (active) return { session: active, resumed: true };
      const now = this.clock.now();
      const rows: SessionRow[] = await tx.manager.query(
        `INSERT INTO game_sessions (account_id, game, state, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT DO NOTHING
         RETURNING id, account_id, game, status, state`,
        [owner, game, JSON.stringify(await initial(tx, owner)), now],
      );
      if (rows[0]) return { session: toSession<S>(rows[0]), resumed: false };
      const raced = await this.active<S>(tx, owner, game);
      if (!raced) throw new Error(`No active ${game} game after a conflict`);
      return { session: raced, resumed: true };
    });
  }

  /**
   * Locks a game of this account FOR UPDATE. Throws GAME_NOT_FOUND (unknown id, another
   * account's game or another kind) or GAME_FINISHED.
   */
  async lockActive<S>(
    tx: Tx,
    accountId: string,
    sessionId: string,
    game: GameKind,
  ): Promise<GameSession<S>> {
    const owner = await this.accounts.resolveSurvivor(accountId, tx);
    if (!/^[1-9][0-9]{0,17}$/.test(sessionId)) throw notFound(sessionId);
    const rows: SessionRow[] = await tx.manager.query(
      `SELECT id, account_id, game, status, state FROM game_sessions WHERE id = $1 FOR UPDATE`,
      [sessionId],
    );
    const row = rows[0];
    if (!row || String(row.account_id) !== owner || row.game !== game) throw notFound(sessionId);
    if (row.status !== 'active') {
      throw new GamesError('GAME_FINISHED', `Game ${sessionId} is over`, {
        sessionId,
        status: row.status,
      });
    }
    return toSession<S>(row);
  }

  /** Saves the state of a game that goes on. */
  async save<S>(tx: Tx, sessionId: string, state: S): Promise<void> {
    await tx.manager.query(
      `UPDATE game_sessions SET state = $2, updated_at = $3 WHERE id = $1 AND status = 'active'`,
      [sessionId, JSON.stringify(state), this.clock.now()],
    );
  }

  /**
   * Ends a game, conditionally on it being active: the caller pays in the same transaction,
   * so a game is paid at most once even without the ledger key.
   */
  async finish<S>(tx: Tx, sessionId: string, status: 'won' | 'lost', state: S): Promise<void> {
    const now = this.clock.now();
    const [rows]: [unknown[], number] = await tx.manager.query(
      `UPDATE game_sessions SET status = $2, state = $3, updated_at = $4, finished_at = $4
        WHERE id = $1 AND status = 'active' RETURNING id`,
      [sessionId, status, JSON.stringify(state), now],
    );
    if (rows.length === 0) {
      throw new GamesError('GAME_FINISHED', `Game ${sessionId} is over`, { sessionId });
    }
  }

  /** Gives up the active game of a kind, if any (a "new game" button). */
  async abandon(accountId: string, game: GameKind): Promise<boolean> {
    return inTransaction(this.dataSource, undefined, async (tx) => {
      const owner = await this.accounts.resolveSurvivor(accountId, tx);
      const now = this.clock.now();
      const [rows]: [unknown[], number] = await tx.manager.query(
        `UPDATE game_sessions SET status = 'abandoned', updated_at = $3, finished_at = $3
          WHERE account_id = $1 AND game = $2 AND status = 'active' RETURNING id`,
        [owner, game, now],
      );
      return rows.length > 0;
    });
  }

  /**
   * Locks the running games of these accounts, in id order. Taken before any lock on the
   * accounts: a game locks its session before its account (lock order,
   * docs/economy-and-games.md), so a link and a game being answered cannot deadlock.
   */
  async lockActiveOf(tx: Tx, accountIds: string[]): Promise<void> {
    await tx.manager.query(
      `SELECT id FROM game_sessions WHERE account_id = ANY($1::bigint[]) AND status = 'active'
        ORDER BY id FOR UPDATE`,
      [accountIds],
    );
  }

  /**
   * A merge absorbed this account: its running games end. A game started after the merge's lock
   * is new and ours to end; one being played right now holds its row and waits for the account:
   * it is skipped (it pays the survivor, following merged_into) rather than waited for while the
   * merge holds the account.
   */
  async abandonActiveOf(tx: Tx, accountId: string, at: Date): Promise<void> {
    await tx.manager.query(
      `UPDATE game_sessions SET status = 'abandoned', finished_at = $2, updated_at = $2
        WHERE id IN (SELECT id FROM game_sessions WHERE account_id = $1 AND status = 'active'
                     FOR UPDATE SKIP LOCKED)`,
      [accountId, at],
    );
  }

  private async active<S>(
    tx: Tx,
    accountId: string,
    game: GameKind,
  ): Promise<GameSession<S> | null> {
    const rows: SessionRow[] = await tx.manager.query(
      `SELECT id, account_id, game, status, state FROM game_sessions
        WHERE account_id = $1 AND game = $2 AND status = 'active'`,
      [accountId, game],
    );
    return rows[0] ? toSession<S>(rows[0]) : null;
  }
}

function notFound(sessionId: string): GamesError {
  return new GamesError('GAME_NOT_FOUND', `No such game: ${sessionId}`, { sessionId });
}

function toSession<S>(row: SessionRow): GameSession<S> {
  return {
    id: String(row.id),
    accountId: String(row.account_id),
    game: row.game,
    status: row.status,
    state: row.state as S,
  };
}
