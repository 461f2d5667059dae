import { Client } from 'pg';
import { ImportError, invalid } from '../import.error';
import { ImportNote, ImportPlan, MAX_AMOUNT, PlannedEntry, PlannedPlayer } from '../import-plan';

/**
 * Where the stage-1 bot keeps its data. The defaults are the planning note's schema; each name
 * can be overridden (`--users-table`, `--tx-amount`, ...) for a bot whose schema drifted.
 */
export interface Stage1Schema {
  usersTable: string;
  userId: string;
  userTelegramId: string;
  userUsername: string;
  userXp: string;
  userBalance: string;
  txTable: string;
  txId: string;
  txUser: string;
  txType: string;
  txAmount: string;
  txReason: string;
  txCreatedAt: string;
  /** Optional: absent table = no achievements carried. */
  achievementsTable: string;
  achievementUser: string;
  achievementCode: string;
}

export const DEFAULT_STAGE1_SCHEMA: Stage1Schema = {
  usersTable: 'users',
  userId: 'id',
  userTelegramId: 'telegram_id',
  userUsername: 'username',
  userXp: 'xp',
  userBalance: 'balance',
  txTable: 'transactions',
  txId: 'id',
  txUser: 'user_id',
  txType: 'type',
  txAmount: 'amount',
  txReason: 'reason',
  txCreatedAt: 'created_at',
  achievementsTable: 'user_achievements',
  achievementUser: 'user_id',
  achievementCode: 'achievement',
};

/** The CLI flag of each schema name: `usersTable` -> `--users-table`. */
export function stage1Flag(name: keyof Stage1Schema): string {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * Stage-1 achievement codes -> ours (docs/imports.md). Rank achievements are not listed: they
 * follow from the imported XP. A code missing here is reported and not carried.
 */
export const STAGE1_ACHIEVEMENTS: Readonly<Record<string, string>> = {
  first_win: 'first_win',
  first_game_win: 'first_win',
  streak_7: 'daily_streak_7',
  daily_streak_7: 'daily_streak_7',
  week_streak: 'daily_streak_7',
  season_top_3: 'season_top_3',
  season_podium: 'season_top_3',
};

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const TELEGRAM_ID = /^[0-9]{1,20}$/;

function quoted(schema: Stage1Schema, name: keyof Stage1Schema): string {
  const value = schema[name];
  if (!IDENTIFIER.test(value)) {
    throw invalid(`option ${stage1Flag(name)}`, name, `"${value}" is not a plain SQL name`);
  }
  return `"${value}"`;
}

function wholeNumber(value: unknown, where: string, field: string): number {
  const text = String(value);
  const number = Number(text);
  if (value === null || !/^-?[0-9]+$/.test(text) || Math.abs(number) > MAX_AMOUNT) {
    throw invalid(
      where,
      field,
      `${JSON.stringify(value)} is not a whole number within ±${MAX_AMOUNT}`,
    );
  }
  return number;
}

interface UserRow {
  id: string;
  telegram_id: string | null;
  username: string | null;
  xp: string | null;
  balance: string | null;
}

interface TxRow {
  id: string;
  user_id: string | null;
  type: string | null;
  amount: string | null;
  reason: string | null;
  created_at: string | null;
}

/**
 * Reads the stage-1 database in one read-only, repeatable-read transaction (a consistent
 * snapshot even while the old bot still runs) and plans: one ledger row per transaction, then
 * one balancing row per player so the totals equal the stage-1 totals exactly, whatever the
 * old history says. A negative stage-1 total becomes 0, reported.
 */
export async function readStage1(
  databaseUrl: string,
  schema: Stage1Schema = DEFAULT_STAGE1_SCHEMA,
): Promise<ImportPlan> {
  const q = (name: keyof Stage1Schema) => quoted(schema, name);
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new ImportError(
      'IMPORT_SOURCE_UNAVAILABLE',
      `The stage-1 database does not answer: ${(error as Error).message}`,
    );
  }
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const read = async <T>(sql: string): Promise<T[]> => {
      try {
        return (await client.query(sql)).rows as T[];
      } catch (error) {
        throw new ImportError(
          'IMPORT_SOURCE_UNAVAILABLE',
          `The stage-1 database refused a read (${(error as Error).message}); check the table and column names (docs/imports.md)`,
        );
      }
    };
    const users = await read<UserRow>(
      `SELECT ${q('userId')}::text AS id, ${q('userTelegramId')}::text AS telegram_id,
              ${q('userUsername')}::text AS username, ${q('userXp')}::text AS xp,
              ${q('userBalance')}::text AS balance
         FROM ${q('usersTable')} ORDER BY ${q('userId')}`,
    );
    const transactions = await read<TxRow>(
      `SELECT ${q('txId')}::text AS id, ${q('txUser')}::text AS user_id,
              ${q('txType')}::text AS type, ${q('txAmount')}::text AS amount,
              ${q('txReason')}::text AS reason, ${q('txCreatedAt')}::text AS created_at
         FROM ${q('txTable')} ORDER BY ${q('txCreatedAt')}, ${q('txId')}`,
    );
    const [{ present }] = await read<{ present: boolean }>(
      `SELECT to_regclass('${schema.achievementsTable}') IS NOT NULL AS present`,
    );
    const achievements = present
      ? await read<{ user_id: string; code: string }>(
          `SELECT ${q('achievementUser')}::text AS user_id, ${q('achievementCode')}::text AS code
             FROM ${q('achievementsTable')}`,
        )
      : [];
    await client.query('ROLLBACK');
    return planStage1(users, transactions, achievements, schema);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function planStage1(
  users: UserRow[],
  transactions: TxRow[],
  achievements: { user_id: string; code: string }[],
  schema: Stage1Schema,
): ImportPlan {
  const notes: ImportNote[] = [];
  const byUser = new Map<
    string,
    { player: PlannedPlayer; xp: number; coins: number; sumXp: number; sumCoins: number }
  >();
  const telegramIds = new Set<string>();
  users.forEach((user, index) => {
    const where = `${schema.usersTable} row ${index + 1} (id ${user.id})`;
    const telegramId = user.telegram_id?.trim() ?? '';
    if (!TELEGRAM_ID.test(telegramId)) {
      throw invalid(
        where,
        schema.userTelegramId,
        `${JSON.stringify(user.telegram_id)} is not a Telegram user id`,
      );
    }
    if (telegramIds.has(telegramId)) {
      throw invalid(where, schema.userTelegramId, `Telegram user ${telegramId} appears twice`);
    }
    telegramIds.add(telegramId);
    byUser.set(user.id, {
      player: {
        platform: 'telegram',
        externalId: telegramId,
        displayName: user.username ? user.username.split('\u0000').join('').slice(0, 100) : null,
        entries: [],
        achievements: [],
      },
      xp: wholeNumber(user.xp ?? '0', where, schema.userXp),
      coins: wholeNumber(user.balance ?? '0', where, schema.userBalance),
      sumXp: 0,
      sumCoins: 0,
    });
  });
  for (const tx of transactions) {
    const where = `${schema.txTable} id ${tx.id}`;
    const owner = tx.user_id === null ? undefined : byUser.get(tx.user_id);
    if (!owner) throw invalid(where, schema.txUser, `no user ${JSON.stringify(tx.user_id)}`);
    const type = (tx.type ?? '').trim().toLowerCase();
    if (type !== 'xp' && type !== 'balance' && type !== 'coins') {
      throw invalid(where, schema.txType, `${JSON.stringify(tx.type)} is neither xp nor balance`);
    }
    const amount = wholeNumber(tx.amount, where, schema.txAmount);
    if (amount === 0) {
      notes.push({ kind: 'zero_transaction_skipped', subject: where, detail: 'amount 0: no row' });
      continue;
    }
    const entry: PlannedEntry = {
      key: `legacy:stage1:${tx.id}`,
      xp: type === 'xp' ? amount : 0,
      coins: type === 'xp' ? 0 : amount,
      // The old reason and date, for an admin reading the history (the row itself is `import`).
      metadata: { stage1: { reason: (tx.reason ?? '').slice(0, 100), at: tx.created_at } },
    };
    owner.player.entries.push(entry);
    owner.sumXp += entry.xp;
    owner.sumCoins += entry.coins;
  }
  for (const row of achievements) {
    const owner = byUser.get(row.user_id);
    const code = STAGE1_ACHIEVEMENTS[row.code];
    if (!owner || !code) {
      notes.push({
        kind: 'achievement_unmapped',
        subject: `stage-1 user ${row.user_id}`,
        detail: owner ? `achievement "${row.code}" has no mapping` : 'unknown user',
      });
      continue;
    }
    if (!owner.player.achievements.includes(code)) owner.player.achievements.push(code);
  }
  for (const [userId, user] of byUser) {
    const subject = `telegram:${user.player.externalId}`;
    const target = { xp: Math.max(0, user.xp), coins: Math.max(0, user.coins) };
    if (user.xp < 0 || user.coins < 0) {
      notes.push({
        kind: 'negative_total_zeroed',
        subject,
        detail: `stage-1 totals xp ${user.xp}, balance ${user.coins}: imported as ${target.xp}, ${target.coins}`,
      });
    }
    if (user.sumXp !== user.xp || user.sumCoins !== user.coins) {
      notes.push({
        kind: 'history_mismatch',
        subject,
        detail: `transactions sum to xp ${user.sumXp}, balance ${user.sumCoins}; users row says ${user.xp}, ${user.coins}`,
        xp: user.xp - user.sumXp,
        coins: user.coins - user.sumCoins,
      });
    }
    const balance = { xp: target.xp - user.sumXp, coins: target.coins - user.sumCoins };
    if (balance.xp !== 0 || balance.coins !== 0) {
      if (Math.abs(balance.xp) > MAX_AMOUNT || Math.abs(balance.coins) > MAX_AMOUNT) {
        throw invalid(
          `${schema.usersTable} id ${userId}`,
          schema.userXp,
          'history too far off to balance',
        );
      }
      user.player.entries.push({ key: `legacy:stage1:balance:${userId}`, ...balance });
    }
  }
  return {
    source: 'stage1',
    players: [...byUser.values()].map((user) => user.player),
    notes,
    offeredRoleMappings: [],
  };
}
