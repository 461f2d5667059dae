import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  AccountsService,
  AccountView,
  decodeCursor,
  encodeCursor,
  EconomyError,
  LedgerService,
  pageSize,
} from '@ttfd/economy';
import { IdentityService, Platform } from '@ttfd/linking';
import { RoleGatewayRegistry, RoleMappingsRepository } from '@ttfd/sync';

export type Currency = 'xp' | 'coins';

export interface LedgerEntryView {
  id: string;
  xpDelta: number;
  coinsDelta: number;
  reason: string;
  source: string;
  entityId: string | null;
  idempotencyKey: string;
  createdAt: Date;
  /** The XP rule that shaped the amount (ledger_entries.metadata), null when none did. */
  metadata: Record<string, unknown> | null;
}

export interface LedgerPage {
  entries: LedgerEntryView[];
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface AccountRoles {
  /** Managed roles the account earns now (rank and achievements). */
  wanted: string[];
  /** Managed roles the Discord member has now; null without a Discord identity or gateway. */
  applied: string[] | null;
  missing: string[];
  extra: string[];
}

export interface AccountIdentity {
  platform: Platform;
  externalId: string;
  username: string | null;
  displayName: string | null;
}

export interface AdminAccountView extends AccountView {
  ledger: LedgerPage;
}

/** Admin reads of one account and the admin adjustment (through the ledger, source admin). */
@Injectable()
export class AdminAccountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: AccountsService,
    private readonly ledger: LedgerService,
    private readonly identities: IdentityService,
    private readonly mappings: RoleMappingsRepository,
    private readonly gateways: RoleGatewayRegistry,
  ) {}

  async get(accountId: string, first = 20, after: string | null = null): Promise<AdminAccountView> {
    const account = await this.accounts.get(accountId);
    if (!account) {
      throw new EconomyError('ACCOUNT_NOT_FOUND', `Account ${accountId} does not exist`, {
        accountId,
      });
    }
    return { ...account, ledger: await this.ledgerPage(account.id, first, after) };
  }

  /** The live account of a platform user id; IDENTITY_UNKNOWN (404) when nobody has it. */
  idOfIdentity(platform: Platform, externalId: string): Promise<string> {
    return this.identities.accountOf(platform, externalId);
  }

  /** The account's Telegram and Discord identities (at most one each). */
  async identitiesOf(accountId: string): Promise<AccountIdentity[]> {
    const views = await this.identities.identitiesOf(accountId);
    return (['telegram', 'discord'] as const).flatMap((platform) => {
      const view = views[platform];
      return view
        ? [
            {
              platform,
              externalId: view.externalId,
              username: view.username ?? null,
              displayName: view.displayName ?? null,
            },
          ]
        : [];
    });
  }

  async ledgerPage(
    accountId: string,
    first = 20,
    after: string | null = null,
  ): Promise<LedgerPage> {
    const size = pageSize(first);
    const cursor = after ? decodeCursor(after, ['i'] as const) : null;
    const rows: {
      id: string;
      xp_delta: string;
      coins_delta: string;
      reason: string;
      source: string;
      entity_id: string | null;
      idempotency_key: string;
      created_at: Date;
      metadata: Record<string, unknown> | null;
    }[] = await this.dataSource.query(
      `SELECT id, xp_delta, coins_delta, reason, source, entity_id, idempotency_key, created_at,
              metadata
         FROM ledger_entries WHERE account_id = $1 AND ($2::bigint IS NULL OR id < $2::bigint)
        ORDER BY id DESC LIMIT $3`,
      [accountId, cursor?.i ?? null, size + 1],
    );
    const entries = rows.slice(0, size).map((row) => ({
      id: String(row.id),
      xpDelta: Number(row.xp_delta),
      coinsDelta: Number(row.coins_delta),
      reason: row.reason,
      source: row.source,
      entityId: row.entity_id,
      idempotencyKey: row.idempotency_key,
      createdAt: new Date(row.created_at),
      metadata: row.metadata,
    }));
    const last = entries[entries.length - 1];
    return {
      entries,
      endCursor: last ? encodeCursor({ i: last.id }) : null,
      hasNextPage: rows.length > size,
    };
  }

  /** What the account earns against what its Discord member has, managed roles only. */
  async roles(accountId: string): Promise<AccountRoles> {
    const { managed, wanted } = await this.mappings.targets([accountId]);
    const want = wanted.get(accountId) ?? [];
    const discord = (await this.identities.identitiesOf(accountId)).discord;
    const gateway = this.gateways.get();
    let applied: string[] | null = null;
    if (discord && gateway) {
      const current = await gateway.readMemberRoles(discord.externalId);
      if (current !== 'gone') applied = current.filter((role) => managed.includes(role)).sort();
    }
    return {
      wanted: want,
      applied,
      missing: applied ? want.filter((role) => !applied.includes(role)) : [],
      extra: applied ? applied.filter((role) => !want.includes(role)) : [],
    };
  }

  /**
   * An admin correction of XP or coins. `admin:{Idempotency-Key}` is the ledger key, so a
   * resent request applies once; the same key with another account, currency, amount or reason
   * is refused (IDEMPOTENCY_KEY_REUSED). The admin's note is kept as the entry's entity id.
   */
  adjust(
    accountId: string,
    input: { currency: Currency; delta: number; reason: string },
    idempotencyKey: string,
  ) {
    return this.ledger.adjust({
      accountId,
      xp: input.currency === 'xp' ? input.delta : 0,
      coins: input.currency === 'coins' ? input.delta : 0,
      reason: 'admin_adjustment',
      source: 'admin',
      idempotencyKey: `admin:${idempotencyKey}`,
      entityId: input.reason.slice(0, 200),
      requestFingerprint: createHash('sha256')
        .update(JSON.stringify([accountId, input.currency, input.delta, input.reason]))
        .digest('hex'),
    });
  }
}
