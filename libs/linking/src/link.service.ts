import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { AchievementsService, RANK_ACHIEVEMENTS, SeasonMembership } from '@ttfd/economy';
import { inTransaction, Tx } from '@ttfd/database';
import { mutateReturning, NewSyncEvent, OutboxWriter } from '@ttfd/sync';
import { IdentityService } from './identity.service';
import { generateLinkCode, hashLinkCode, normalizeLinkCode } from './link-code';
import { LinkingError } from './linking.error';
import { otherPlatform, Platform } from './platform';

interface ConsumedCode {
  account_id: string;
  issued_on: Platform;
}

interface LockedAccount {
  id: string;
  rank_id: number;
  merged_into: string | null;
}

interface IdentityRow {
  account_id: string;
  platform: Platform;
  external_id: string;
}

/** Why a code did not consume; counted (or not) as a wrong try after the transaction. */
type ConsumeOutcome =
  | { ok: true; result: { accountId: string; absorbedAccountId: string } }
  | { ok: false; code: 'LINK_CODE_INVALID' | 'LINK_CODE_EXPIRED' | 'LINK_CODE_USED' };

/**
 * One-time link codes and the merge of a Telegram account with a Discord account
 * (ARCHITECTURE.md flow 6).
 */
@Injectable()
export class LinkService {
  private readonly logger = new Logger(LinkService.name);
  private readonly pepper: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly identities: IdentityService,
    private readonly outbox: OutboxWriter,
    private readonly achievements: AchievementsService,
    private readonly seasons: SeasonMembership,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    // The pepper must be the same in every process (a code issued by the Telegram bot is
    // redeemed by the Discord bot): an explicit pepper, else SESSION_SECRET when set.
    this.pepper = config.env.LINK_CODE_PEPPER ?? config.env.SESSION_SECRET ?? 'ttfd-link-code';
    if (!config.env.LINK_CODE_PEPPER && !config.env.SESSION_SECRET) {
      this.logger.warn(
        'Link codes are hashed without a secret pepper: set LINK_CODE_PEPPER or SESSION_SECRET',
      );
    }
  }

  /** A fresh code for the player's account; its previous unused code stops working. */
  async issueCode(
    platform: Platform,
    externalId: string,
  ): Promise<{ code: string; expiresAt: Date }> {
    const { accountId } = await this.identities.resolve(platform, externalId);
    return inTransaction(this.dataSource, undefined, async ({ manager }) => {
      const linked = await this.identitiesOf(manager, [accountId]);
      if (linked.some((row) => row.platform === otherPlatform(platform))) {
        throw new LinkingError('LINK_ALREADY_LINKED', 'This account is already linked', {});
      }
      const now = this.clock.now();
      const expiresAt = new Date(now.getTime() + this.config.env.LINK_CODE_TTL_SECONDS * 1000);
      await manager.query(
        `UPDATE link_codes SET expires_at = $2
          WHERE account_id = $1 AND consumed_at IS NULL AND expires_at > $2`,
        [accountId, now],
      );
      // A clash of two live codes is ~1e-12 likely; the unique hash makes it a retry, not a bug.
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const code = generateLinkCode();
        const inserted: unknown[] = await manager.query(
          `INSERT INTO link_codes (code_hash, account_id, issued_on, expires_at, created_at)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (code_hash) DO NOTHING RETURNING id`,
          [hashLinkCode(code, this.pepper), accountId, platform, expiresAt, now],
        );
        if (inserted.length > 0) return { code, expiresAt };
      }
      throw new Error('Could not issue a unique link code');
    });
  }

  /**
   * Redeems a code issued on the other platform: merges the two accounts into the one holding
   * the Telegram identity. Wrong codes are counted per redeemer; past the limit every try is
   * refused, a right code included, until the window has passed.
   */
  async redeem(
    platform: Platform,
    externalId: string,
    input: string,
  ): Promise<{ accountId: string; absorbedAccountId: string }> {
    const { accountId: redeemerAccountId } = await this.identities.resolve(platform, externalId);
    const outcome = await inTransaction<ConsumeOutcome>(this.dataSource, undefined, async (tx) => {
      const { manager } = tx;
      // Serializes one redeemer's tries, so parallel guesses cannot overrun the limit.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
        `link:${platform}:${externalId}`,
      ]);
      // Before consuming the code: its foreign key to the redeemer's account takes a key-share
      // lock on that account, and a game locks its session before its account (lock order).
      await this.lockActiveGames(manager, [redeemerAccountId]);
      await this.assertAttemptsLeft(manager, platform, externalId);
      const code = normalizeLinkCode(input);
      if (!code) {
        await this.recordAttempt(manager, platform, externalId, false);
        return { ok: false, code: 'LINK_CODE_INVALID' } as const;
      }
      const consumed = await this.consume(manager, code, redeemerAccountId);
      if ('error' in consumed) {
        if (consumed.error === 'LINK_CODE_INVALID') {
          await this.recordAttempt(manager, platform, externalId, false);
        }
        return { ok: false, code: consumed.error } as const;
      }
      const result = await this.merge(tx, consumed, platform, redeemerAccountId);
      await this.recordAttempt(manager, platform, externalId, true);
      return { ok: true, result } as const;
    });
    if (outcome.ok) return outcome.result;
    throw new LinkingError(outcome.code, MESSAGES[outcome.code], {});
  }

  /**
   * Refuses with LINK_NOT_LINKED unless the player's account holds both platforms: the bots ask
   * before an unlink only when there is something to unlink, and answer at once otherwise.
   */
  async requireLinked(platform: Platform, externalId: string): Promise<void> {
    const accountId = await this.identities.find(platform, externalId);
    const rows = accountId ? await this.identitiesOf(this.dataSource.manager, [accountId]) : [];
    if (!isLinked(rows)) {
      throw new LinkingError('LINK_NOT_LINKED', 'This account is not linked', {});
    }
  }

  /**
   * A code typed where others could read it (a group chat) is burned: it stops working, and its
   * owner is told in private (a `link.code_burned` event) to get a new one. Nothing is said about
   * whether the text was a live code. Not counted as a wrong try: the typist guessed nothing.
   */
  async burn(input: string, source: Platform): Promise<void> {
    const code = normalizeLinkCode(input);
    if (!code) return;
    await inTransaction(this.dataSource, undefined, async (tx) => {
      const now = this.clock.now();
      const burned = await mutateReturning<{ account_id: string }>(
        tx.manager,
        `UPDATE link_codes SET expires_at = $2
          WHERE code_hash = $1 AND consumed_at IS NULL AND expires_at > $2
          RETURNING account_id`,
        [hashLinkCode(code, this.pepper), now],
      );
      if (burned.length === 0) return;
      await this.outbox.append(tx, [
        {
          type: 'link.code_burned',
          source,
          accountId: String(burned[0].account_id),
          payload: {},
        },
      ]);
    });
  }

  /**
   * Splits a linked account: the profile stays with the Telegram identity; the Discord identity
   * starts a new, empty account, so its roles fall to what an empty account earns.
   */
  async unlink(
    platform: Platform,
    externalId: string,
  ): Promise<{ telegramAccountId: string; discordAccountId: string }> {
    return inTransaction(this.dataSource, undefined, async (tx) => {
      const { manager } = tx;
      const accountId = await this.identities.find(platform, externalId, tx);
      if (!accountId) throw new LinkingError('LINK_NOT_LINKED', 'This account is not linked', {});
      await manager.query(`SELECT id FROM accounts WHERE id = $1 FOR UPDATE`, [accountId]);
      const rows = await this.identitiesOf(manager, [accountId]);
      const discord = rows.find((row) => row.platform === 'discord');
      if (!discord || !isLinked(rows)) {
        throw new LinkingError('LINK_NOT_LINKED', 'This account is not linked', {});
      }
      const now = this.clock.now();
      const [fresh]: { id: string }[] = await manager.query(
        `INSERT INTO accounts (created_at, updated_at) VALUES ($1, $1) RETURNING id`,
        [now],
      );
      const discordAccountId = String(fresh.id);
      await manager.query(
        `UPDATE identities SET account_id = $2, updated_at = $3
          WHERE platform = 'discord' AND account_id = $1`,
        [accountId, discordAccountId, now],
      );
      // The new account must not inherit the Discord side's open voice session credit target.
      await manager.query(
        `UPDATE voice_sessions SET account_id = $2 WHERE account_id = $1 AND status = 'open'`,
        [accountId, discordAccountId],
      );
      await this.outbox.append(tx, [
        {
          type: 'account.unlinked',
          source: platform,
          accountId: discordAccountId,
          payload: {
            telegramAccountId: accountId,
            discordAccountId,
            discordUserId: discord.external_id,
          },
        },
      ]);
      return { telegramAccountId: accountId, discordAccountId };
    });
  }

  private async assertAttemptsLeft(
    manager: EntityManager,
    platform: Platform,
    externalId: string,
  ): Promise<void> {
    const max = this.config.env.LINK_MAX_WRONG_ATTEMPTS;
    const windowMs = this.config.env.LINK_ATTEMPT_WINDOW_SECONDS * 1000;
    const now = this.clock.now();
    // The max-th most recent wrong try inside the window: once it leaves the window, the count
    // drops below the limit again.
    const rows: { attempted_at: Date }[] = await manager.query(
      `SELECT attempted_at FROM link_attempts
        WHERE platform = $1 AND external_id = $2 AND NOT succeeded AND attempted_at > $3
        ORDER BY attempted_at DESC OFFSET $4 LIMIT 1`,
      [platform, externalId, new Date(now.getTime() - windowMs), max - 1],
    );
    if (rows.length === 0) return;
    const freeAt = new Date(rows[0].attempted_at).getTime() + windowMs;
    const retryAfterSeconds = Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000));
    throw new LinkingError(
      'LINK_TOO_MANY_ATTEMPTS',
      `Too many wrong codes; try again in ${retryAfterSeconds} s`,
      { retryAfterSeconds },
    );
  }

  private async recordAttempt(
    manager: EntityManager,
    platform: Platform,
    externalId: string,
    succeeded: boolean,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO link_attempts (platform, external_id, succeeded, attempted_at)
       VALUES ($1, $2, $3, $4)`,
      [platform, externalId, succeeded, this.clock.now()],
    );
  }

  /** Consumes the code with one conditional UPDATE; on a miss, tells why. */
  private async consume(
    manager: EntityManager,
    code: string,
    redeemerAccountId: string,
  ): Promise<
    ConsumedCode | { error: 'LINK_CODE_INVALID' | 'LINK_CODE_EXPIRED' | 'LINK_CODE_USED' }
  > {
    const hash = hashLinkCode(code, this.pepper);
    const now = this.clock.now();
    const consumed = await mutateReturning<ConsumedCode>(
      manager,
      `UPDATE link_codes SET consumed_at = $2, consumed_by_account = $3
        WHERE code_hash = $1 AND consumed_at IS NULL AND expires_at > $2
        RETURNING account_id, issued_on`,
      [hash, now, redeemerAccountId],
    );
    if (consumed.length > 0) {
      return { account_id: String(consumed[0].account_id), issued_on: consumed[0].issued_on };
    }
    const rows: { consumed_at: Date | null }[] = await manager.query(
      `SELECT consumed_at FROM link_codes WHERE code_hash = $1`,
      [hash],
    );
    if (rows.length === 0) return { error: 'LINK_CODE_INVALID' };
    return { error: rows[0].consumed_at ? 'LINK_CODE_USED' : 'LINK_CODE_EXPIRED' };
  }

  /** Flow 6, inside the redeeming transaction. Throws (rolling the consume back) on refusal. */
  private async merge(
    tx: Tx,
    code: ConsumedCode,
    redeemPlatform: Platform,
    redeemerAccountId: string,
  ): Promise<{ accountId: string; absorbedAccountId: string }> {
    const { manager } = tx;
    const issuerAccountId = code.account_id;
    if (issuerAccountId === redeemerAccountId) {
      throw new LinkingError('LINK_SELF', MESSAGES.LINK_SELF, {});
    }
    if (code.issued_on === redeemPlatform) {
      throw new LinkingError('LINK_SAME_PLATFORM', MESSAGES.LINK_SAME_PLATFORM, {});
    }
    // Lock order (docs/economy-and-games.md): the games of both accounts (a game locks its
    // session before its account), the season, both accounts in id order, their voice
    // sessions. Two merges, a merge and a game, a merge and a voice checkpoint cannot deadlock.
    await this.lockActiveGames(manager, [issuerAccountId, redeemerAccountId]);
    const seasonId = await this.seasons.join(tx);
    const locked: LockedAccount[] = await manager.query(
      `SELECT id, rank_id, merged_into FROM accounts WHERE id = ANY($1::bigint[])
        ORDER BY id FOR UPDATE`,
      [[issuerAccountId, redeemerAccountId]],
    );
    if (locked.length !== 2 || locked.some((account) => account.merged_into !== null)) {
      // The issuing account was absorbed by another link since the code was issued.
      throw new LinkingError('LINK_CODE_INVALID', MESSAGES.LINK_CODE_INVALID, {});
    }
    const identities = await this.identitiesOf(manager, [issuerAccountId, redeemerAccountId]);
    const has = (accountId: string, platform: Platform) =>
      identities.find((row) => row.account_id === accountId && row.platform === platform);
    const issuerPlatform = code.issued_on;
    if (has(issuerAccountId, redeemPlatform) || has(redeemerAccountId, issuerPlatform)) {
      throw new LinkingError('LINK_ALREADY_LINKED', MESSAGES.LINK_ALREADY_LINKED, {});
    }
    const telegramAccountId = redeemPlatform === 'telegram' ? redeemerAccountId : issuerAccountId;
    const absorbedAccountId =
      telegramAccountId === issuerAccountId ? redeemerAccountId : issuerAccountId;
    const telegram = has(telegramAccountId, 'telegram');
    const discord = has(absorbedAccountId, 'discord');
    if (!telegram || !discord) {
      throw new LinkingError('LINK_CODE_INVALID', MESSAGES.LINK_CODE_INVALID, {});
    }
    const previousRankId = Number(
      locked.find((account) => String(account.id) === telegramAccountId)?.rank_id ?? 1,
    );
    const now = this.clock.now();
    const params = [absorbedAccountId, telegramAccountId, now];

    await manager.query(
      `UPDATE ledger_entries SET account_id = $2 WHERE account_id = $1`,
      params.slice(0, 2),
    );
    // The open season's standings follow the moved rows (closed seasons stay as frozen).
    await this.seasons.recount(tx, seasonId, [absorbedAccountId, telegramAccountId]);
    // Earliest unlock wins; one row per code.
    await manager.query(
      `INSERT INTO account_achievements (account_id, achievement_code, unlocked_at)
       SELECT $2::bigint, achievement_code, unlocked_at FROM account_achievements WHERE account_id = $1
       ON CONFLICT (account_id, achievement_code)
       DO UPDATE SET unlocked_at = LEAST(account_achievements.unlocked_at, EXCLUDED.unlocked_at)`,
      params.slice(0, 2),
    );
    await manager.query(`DELETE FROM account_achievements WHERE account_id = $1`, [
      absorbedAccountId,
    ]);
    await manager.query(
      `UPDATE identities SET account_id = $2, updated_at = $3 WHERE account_id = $1`,
      params,
    );
    // A game started after the lock above is new and ours to end; one being played right now
    // holds its row and waits for the account: skip it (it pays the survivor, following
    // merged_into) rather than wait for it while holding the account.
    await manager.query(
      `UPDATE game_sessions SET status = 'abandoned', finished_at = $2, updated_at = $2
        WHERE id IN (SELECT id FROM game_sessions WHERE account_id = $1 AND status = 'active'
                     FOR UPDATE SKIP LOCKED)`,
      [absorbedAccountId, now],
    );
    // Voice minutes still being earned on Discord belong to the surviving profile now.
    await manager.query(
      `UPDATE voice_sessions SET account_id = $2 WHERE account_id = $1 AND status = 'open'`,
      params.slice(0, 2),
    );
    await manager.query(
      `UPDATE link_codes SET expires_at = $3
        WHERE account_id IN ($1, $2) AND consumed_at IS NULL AND expires_at > $3`,
      params,
    );
    await manager.query(
      `UPDATE accounts SET merged_into = $2, xp = 0, coins = 0, rank_id = 1, updated_at = $3
        WHERE id = $1`,
      params,
    );
    const [totals] = await mutateReturning<{ xp: string; rank_id: number }>(
      manager,
      `UPDATE accounts a
          SET xp = s.xp, coins = s.coins, updated_at = $2,
              rank_id = (SELECT max(r.id) FROM ranks r WHERE r.min_xp <= s.xp)
         FROM (SELECT COALESCE(sum(xp_delta), 0) AS xp, COALESCE(sum(coins_delta), 0) AS coins
                 FROM ledger_entries WHERE account_id = $1) s
        WHERE a.id = $1
        RETURNING a.xp, a.rank_id`,
      [telegramAccountId, now],
    );
    const rankId = Number(totals.rank_id);

    const source = redeemPlatform;
    const events: NewSyncEvent[] = [
      {
        type: 'account.linked',
        source,
        accountId: telegramAccountId,
        payload: {
          telegramAccountId,
          absorbedAccountId,
          discordUserId: discord.external_id,
          telegramUserId: telegram.external_id,
        },
      },
    ];
    if (rankId !== previousRankId) {
      events.push({
        type: 'rank.changed',
        source,
        accountId: telegramAccountId,
        payload: { from: previousRankId, to: rankId, xp: Number(totals.xp) },
      });
    }
    const earned = [
      'linked',
      ...RANK_ACHIEVEMENTS.filter((a) => rankId >= a.rankId).map((a) => a.code),
    ];
    await this.outbox.append(tx, events);
    // The economy's own unlock: once per account, with its achievement.unlocked event.
    for (const code of earned) {
      await this.achievements.unlock(tx, telegramAccountId, code, source);
    }
    return { accountId: telegramAccountId, absorbedAccountId };
  }

  /** Locks the running games of these accounts (taken before any lock on the accounts). */
  private async lockActiveGames(manager: EntityManager, accountIds: string[]): Promise<void> {
    await manager.query(
      `SELECT id FROM game_sessions WHERE account_id = ANY($1::bigint[]) AND status = 'active'
        ORDER BY id FOR UPDATE`,
      [accountIds],
    );
  }

  private async identitiesOf(manager: EntityManager, accountIds: string[]): Promise<IdentityRow[]> {
    const rows: IdentityRow[] = await manager.query(
      `SELECT account_id, platform, external_id FROM identities WHERE account_id = ANY($1::bigint[])`,
      [accountIds],
    );
    return rows.map((row) => ({ ...row, account_id: String(row.account_id) }));
  }
}

/** Linked: the account holds an identity on both platforms. */
function isLinked(rows: IdentityRow[]): boolean {
  return (
    rows.some((row) => row.platform === 'telegram') &&
    rows.some((row) => row.platform === 'discord')
  );
}

const MESSAGES = {
  LINK_CODE_INVALID: 'This link code does not exist',
  LINK_CODE_EXPIRED: 'This link code has expired',
  LINK_CODE_USED: 'This link code was already used',
  LINK_SELF: 'This code was issued by this same account',
  LINK_SAME_PLATFORM: 'Redeem the code on the other platform',
  LINK_ALREADY_LINKED: 'One of the accounts is already linked',
} as const;
