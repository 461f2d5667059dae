import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { inTransaction, preparedStatement, Tx } from '@ttfd/database';
import { NewSyncEvent, OutboxWriter } from '@ttfd/sync';
import { LinkingError } from './linking.error';
import { Platform } from './platform';

export interface IdentityProfile {
  username?: string;
  displayName?: string;
  locale?: string;
}

export interface IdentityView {
  externalId: string;
  username?: string;
  displayName?: string;
  locale?: string;
}

export interface AccountIdentities {
  telegram?: IdentityView;
  discord?: IdentityView;
}

interface IdentityRow {
  account_id: string;
  platform: Platform;
  external_id: string;
  username: string | null;
  display_name: string | null;
  locale: string | null;
}

/**
 * Names come from Telegram and Discord as their users typed them; Postgres text cannot hold NUL,
 * so it is stripped (never refused: a player's odd name must not lock them out).
 */
function storable(profile: IdentityProfile): IdentityProfile {
  const clean = (value: string | undefined) => value?.split('\u0000').join('');
  return {
    username: clean(profile.username),
    displayName: clean(profile.displayName),
    locale: clean(profile.locale),
  };
}

const FIND_SQL = `SELECT account_id FROM identities WHERE platform = $1 AND external_id = $2`;

/** The account behind an identity, storing the name and language it shows now when they changed. */
const TOUCH_SQL = `WITH changed AS (
     UPDATE identities
        SET username = COALESCE($3, username),
            display_name = COALESCE($4, display_name),
            locale = COALESCE($5, locale),
            updated_at = $6
      WHERE platform = $1 AND external_id = $2
        AND (username IS DISTINCT FROM COALESCE($3, username)
          OR display_name IS DISTINCT FROM COALESCE($4, display_name)
          OR locale IS DISTINCT FROM COALESCE($5, locale))
      RETURNING account_id)
   SELECT account_id FROM changed
   UNION ALL
   SELECT account_id FROM identities
    WHERE platform = $1 AND external_id = $2 AND NOT EXISTS (SELECT FROM changed)`;

/**
 * (platform, external id) -> account. Identities always point at the live account: a merge
 * moves them, so nobody has to follow `merged_into` chains.
 */
@Injectable()
export class IdentityService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly outbox: OutboxWriter,
  ) {}

  /**
   * The player's account; a player first seen gets an account and an identity. Race-safe: the
   * unique (platform, external_id) decides which of two concurrent first messages wins, and the
   * loser drops the account it made in the same transaction.
   *
   * A new account is already worth something on Discord (rank 1 may map to a role), and no rank
   * changes to say so: a Discord identity's account is born with a `roles.resync` in the outbox,
   * so the member's first contact converges their roles in seconds, not at the next reconcile.
   */
  async resolve(
    platform: Platform,
    externalId: string,
    profile: IdentityProfile = {},
    tx?: Tx,
  ): Promise<{ accountId: string; created: boolean }> {
    profile = storable(profile);
    const existing = await this.touch(tx, platform, externalId, profile);
    if (existing) return { accountId: existing, created: false };

    return inTransaction(this.dataSource, tx, async (transaction) => {
      const { manager } = transaction;
      const now = this.clock.now();
      const [account]: { id: string }[] = await manager.query(
        `INSERT INTO accounts (created_at, updated_at) VALUES ($1, $1) RETURNING id`,
        [now],
      );
      const inserted: { account_id: string }[] = await manager.query(
        `INSERT INTO identities
           (account_id, platform, external_id, username, display_name, locale, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
         ON CONFLICT (platform, external_id) DO NOTHING
         RETURNING account_id`,
        [
          account.id,
          platform,
          externalId,
          profile.username ?? null,
          profile.displayName ?? null,
          profile.locale ?? null,
          now,
        ],
      );
      if (inserted.length > 0) {
        await this.outbox.append(transaction, firstContactEvents(platform, String(account.id)));
        return { accountId: String(account.id), created: true };
      }
      // Someone else created this identity meanwhile (their commit released our INSERT).
      await manager.query(`DELETE FROM accounts WHERE id = $1`, [account.id]);
      const winner = await this.touch(transaction, platform, externalId, profile);
      if (!winner) throw new Error(`identity ${platform}:${externalId} vanished during resolve`);
      return { accountId: winner, created: false };
    });
  }

  async find(platform: Platform, externalId: string, tx?: Tx): Promise<string | null> {
    const rows = await this.read<{ account_id: string }>(tx, 'identity.find', FIND_SQL, [
      platform,
      externalId,
    ]);
    return rows.length > 0 ? String(rows[0].account_id) : null;
  }

  /** Like `find`, for callers that need a known player: throws IDENTITY_UNKNOWN. */
  async accountOf(platform: Platform, externalId: string, tx?: Tx): Promise<string> {
    const accountId = await this.find(platform, externalId, tx);
    if (!accountId) {
      throw new LinkingError('IDENTITY_UNKNOWN', `No account for ${platform} user ${externalId}`, {
        platform,
      });
    }
    return accountId;
  }

  async identitiesOf(accountId: string, tx?: Tx): Promise<AccountIdentities> {
    return (await this.identitiesOfMany([accountId], tx)).get(accountId) ?? {};
  }

  /**
   * The identities of many accounts in one statement (a leaderboard page names ten players with
   * one query, not ten). Accounts without identities are absent from the map.
   */
  async identitiesOfMany(accountIds: string[], tx?: Tx): Promise<Map<string, AccountIdentities>> {
    const result = new Map<string, AccountIdentities>();
    if (accountIds.length === 0) return result;
    const rows = await this.read<IdentityRow>(
      tx,
      'identities.of-accounts',
      `SELECT account_id, platform, external_id, username, display_name, locale
         FROM identities WHERE account_id = ANY($1::bigint[])`,
      [accountIds],
    );
    for (const row of rows) {
      const accountId = String(row.account_id);
      result.set(accountId, { ...result.get(accountId), [row.platform]: toView(row) });
    }
    return result;
  }

  /**
   * The identities of the account `platform`/`externalId` belongs to, with that account's id;
   * null when there is no such identity. One statement, keyed by the identity, so a bot can read
   * them beside resolving its player instead of after it.
   */
  async identitiesOfIdentity(
    platform: Platform,
    externalId: string,
  ): Promise<{ accountId: string; identities: AccountIdentities } | null> {
    const rows = await preparedStatement<IdentityRow>(
      this.dataSource,
      'identities.of-identity',
      `SELECT account_id, platform, external_id, username, display_name, locale
         FROM identities
        WHERE account_id = (SELECT account_id FROM identities WHERE platform = $1 AND external_id = $2)`,
      [platform, externalId],
    );
    if (rows.length === 0) return null;
    const identities: AccountIdentities = {};
    for (const row of rows) identities[row.platform] = toView(row);
    return { accountId: String(rows[0].account_id), identities };
  }

  /** The locale a platform user last showed us (one indexed read; null when unknown). */
  async localeOf(platform: Platform, externalId: string): Promise<string | null> {
    const rows: { locale: string | null }[] = await this.dataSource.query(
      `SELECT locale FROM identities WHERE platform = $1 AND external_id = $2`,
      [platform, externalId],
    );
    return rows[0]?.locale ?? null;
  }

  /** A merge: every identity of `fromAccountId` now belongs to `toAccountId`. */
  async moveAll(tx: Tx, fromAccountId: string, toAccountId: string, at: Date): Promise<void> {
    await tx.manager.query(
      `UPDATE identities SET account_id = $2, updated_at = $3 WHERE account_id = $1`,
      [fromAccountId, toAccountId, at],
    );
  }

  /**
   * Returns the account of an existing identity, updating the profile fields that changed: one
   * statement (a round trip per Discord message counts), no write at all when nothing changed.
   * The row the UPDATE returns is the newest; otherwise the plain read answers.
   */
  private async touch(
    tx: Tx | undefined,
    platform: Platform,
    externalId: string,
    profile: IdentityProfile,
  ): Promise<string | null> {
    const hasProfile =
      profile.username !== undefined ||
      profile.displayName !== undefined ||
      profile.locale !== undefined;
    const rows = hasProfile
      ? await this.read<{ account_id: string }>(tx, 'identity.touch', TOUCH_SQL, [
          platform,
          externalId,
          profile.username ?? null,
          profile.displayName ?? null,
          profile.locale ?? null,
          this.clock.now(),
        ])
      : await this.read<{ account_id: string }>(tx, 'identity.find', FIND_SQL, [
          platform,
          externalId,
        ]);
    return rows.length > 0 ? String(rows[0].account_id) : null;
  }

  /**
   * In the caller's transaction, else a prepared statement of its own: these run on every
   * command of both bots (preparedStatement).
   */
  private read<T>(tx: Tx | undefined, name: string, sql: string, params: unknown[]): Promise<T[]> {
    return tx
      ? tx.manager.query(sql, params)
      : preparedStatement<T>(this.dataSource, name, sql, params);
  }
}

/** What a new account's first identity asks of the platforms: roles for a Discord member. */
function firstContactEvents(platform: Platform, accountId: string): NewSyncEvent[] {
  if (platform !== 'discord') return [];
  return [
    {
      type: 'roles.resync',
      source: 'discord',
      accountId,
      idempotencyKey: `roles:first-contact:${accountId}`,
      payload: { reason: 'first_contact' },
    },
  ];
}

function toView(row: IdentityRow): IdentityView {
  const view: IdentityView = { externalId: row.external_id };
  if (row.username !== null) view.username = row.username;
  if (row.display_name !== null) view.displayName = row.display_name;
  if (row.locale !== null) view.locale = row.locale;
  return view;
}
