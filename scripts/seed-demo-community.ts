import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RoleMappingsService } from '@ttfd/sync';
import { LedgerReason, LedgerService, SeasonsService } from '@ttfd/economy';
import { IdentityService, LinkCodes, LinkRedeemer } from '@ttfd/linking';

/**
 * A believable community for the dashboard, made through the domain services (so totals,
 * ranks, achievements and outbox rows are what real play produces). Every write is idempotent:
 * identities resolve to the same account, awards carry fixed `demo:` ledger keys, links and
 * mappings are made only when missing, the failed event only when none is failed. Shared by
 * `npm run seed:demo` and the dashboard's browser tests.
 */

const FIRST_NAMES = [
  'Alexei',
  'Maria',
  'Dmitri',
  'Olga',
  'Ivan',
  'Katya',
  'Sergei',
  'Anya',
  'Nikita',
  'Polina',
  'Artyom',
  'Dasha',
  'Maksim',
  'Sonya',
  'Egor',
  'Vera',
  'Kirill',
  'Lena',
  'Pavel',
  'Zoya',
  'Roman',
  'Alina',
  'Timur',
  'Nastya',
  'Gleb',
  'Yulia',
  'Oleg',
  'Irina',
  'Denis',
  'Mila',
  'Boris',
  'Kseniya',
  'Yaroslav',
  'Varya',
  'Lev',
  'Taisiya',
  'Fyodor',
  'Eva',
  'Stepan',
  'Ulyana',
];

/** Managed Discord roles of the demo guild (snowflake-shaped, made up). */
export const DEMO_RANK_ROLES: Record<number, string> = {
  1: '1180000000000000001',
  2: '1180000000000000002',
  3: '1180000000000000003',
  5: '1180000000000000005',
  8: '1180000000000000008',
};
export const DEMO_ACHIEVEMENT_ROLES: Record<string, string> = {
  first_win: '1180000000000000101',
  linked: '1180000000000000102',
};

export interface DemoPlayer {
  name: string;
  telegramId?: string;
  discordId?: string;
  accountId: string;
}

export interface DemoCommunity {
  players: DemoPlayer[];
  /** The one failed outbox event. */
  failedEventId: string;
}

export interface SeedOptions {
  /** How many people (default 40); about a third on each platform only, a third on both. */
  people?: number;
  /**
   * How long to wait for the worker to finish the outbox before one event is marked failed
   * (a worker mid-way through that event would overwrite it); 0: no worker runs, do not wait.
   */
  settleMs?: number;
}

/** Small deterministic pseudo-random numbers: the same community on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const telegramId = (i: number) => String(7_000_000_100 + i);
const discordId = (i: number) => String(410_000_000_000_000_100n + BigInt(i));

/** The Discord user ids the seed gives out (a test's fake guild has them as members). */
export function demoDiscordIds(people = 40): string[] {
  return Array.from({ length: people }, (_, i) => i)
    .filter((i) => i % 3 !== 0)
    .map(discordId);
}

export async function seedDemoCommunity(
  app: INestApplicationContext,
  options: SeedOptions = {},
): Promise<DemoCommunity> {
  const people = options.people ?? 40;
  const identities = app.get(IdentityService);
  const codes = app.get(LinkCodes);
  const redeemer = app.get(LinkRedeemer);
  const ledger = app.get(LedgerService);
  const mappings = app.get(RoleMappingsService);
  const dataSource = app.get(DataSource);
  const rand = random(20_260_115);
  // The scheduler opens the first season on its first tick; the seed's play belongs to the
  // current season, so a fresh demo's leaderboard shows it (not an empty season).
  await app.get(SeasonsService).ensureOpen();

  const players: DemoPlayer[] = [];
  for (let i = 0; i < people; i++) {
    const name = FIRST_NAMES[i % FIRST_NAMES.length] + (i >= FIRST_NAMES.length ? ` ${i}` : '');
    // i % 3: 0 Telegram only, 1 Discord only, 2 both (linked).
    const kind = i % 3;
    const profile = { username: name.toLowerCase().replace(/\W+/g, '_'), displayName: name };
    const tg = kind !== 1 ? telegramId(i) : undefined;
    const dc = kind !== 0 ? discordId(i) : undefined;
    const tgAccount = tg ? (await identities.resolve('telegram', tg, profile)).accountId : null;
    const dcAccount = dc ? (await identities.resolve('discord', dc, profile)).accountId : null;
    if (tg && dc && tgAccount !== dcAccount) {
      // Linked the way players do it: a code from Telegram, redeemed in Discord.
      const { code } = await codes.issueCode('telegram', tg);
      await redeemer.redeem('discord', dc, code);
    }
    const accountId = (await identities.find(tg ? 'telegram' : 'discord', (tg ?? dc)!))!;
    players.push({ name, telegramId: tg, discordId: dc, accountId });
  }

  const award = (
    player: DemoPlayer,
    key: string,
    reason: LedgerReason,
    xp: number,
    coins: number,
    source: 'telegram' | 'discord',
  ) =>
    ledger.award({
      accountId: player.accountId,
      xp,
      coins,
      reason,
      source,
      idempotencyKey: `demo:${player.telegramId ?? player.discordId}:${key}`,
    });

  for (const [i, player] of players.entries()) {
    // A few regulars play a lot; most play a little (a long tail, as communities go).
    const activity = Math.floor(rand() ** 2 * 30) + 1;
    for (let n = 0; n < activity; n++) {
      const roll = rand();
      const onDiscord = player.discordId && (!player.telegramId || roll < 0.5);
      if (onDiscord) {
        await award(
          player,
          `msg:${n}`,
          'discord_message',
          5 + Math.floor(rand() * 10),
          0,
          'discord',
        );
      } else if (roll < 0.75) {
        await award(
          player,
          `guess:${n}`,
          'game_guess',
          40 + Math.floor(rand() * 60),
          10,
          'telegram',
        );
      } else {
        await award(player, `quiz:${n}`, 'game_quiz', 60 + Math.floor(rand() * 90), 15, 'telegram');
      }
    }
    if (player.telegramId && i % 2 === 0) {
      await award(player, 'daily:1', 'daily_reward', 50, 25, 'telegram');
    }
  }

  const rankRoles = new Map((await mappings.list('rank')).map((m) => [m.key, m.discordRoleId]));
  const missingRanks = Object.entries(DEMO_RANK_ROLES).filter(([key]) => !rankRoles.get(key));
  if (missingRanks.length > 0) {
    await mappings.set(
      'rank',
      missingRanks.map(([key, discordRoleId]) => ({ key, discordRoleId })),
    );
  }
  const achievementRoles = new Map(
    (await mappings.list('achievement')).map((m) => [m.key, m.discordRoleId]),
  );
  const missingAchievements = Object.entries(DEMO_ACHIEVEMENT_ROLES).filter(
    ([key]) => !achievementRoles.get(key),
  );
  if (missingAchievements.length > 0) {
    await mappings.set(
      'achievement',
      missingAchievements.map(([key, discordRoleId]) => ({ key, discordRoleId })),
    );
  }

  // One player who hid themselves (the /settings toggle): "Hidden player", keeping the place.
  const hidden = players[4];
  if (hidden) {
    await dataSource.query(`UPDATE accounts SET leaderboard_hidden = true WHERE id = $1`, [
      hidden.accountId,
    ]);
  }

  if (options.settleMs !== 0) await settle(dataSource, options.settleMs ?? 60_000);
  return { players, failedEventId: await ensureOneFailedEvent(dataSource) };
}

async function settle(dataSource: DataSource, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row]: { n: string }[] = await dataSource.query(
      `SELECT count(*) AS n FROM sync_events WHERE status IN ('pending', 'processing')`,
    );
    if (Number(row.n) === 0) return;
    if (Date.now() > deadline) throw new Error(`seed: ${row.n} events still pending`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Exactly one failed event, as an operator would find after a Discord outage outlasted the
 * retries, so the dashboard's "retry" has something to do. Written directly (a demo fixture,
 * said so in its error), and only when no event is failed yet.
 */
async function ensureOneFailedEvent(dataSource: DataSource): Promise<string> {
  const failed: { id: string }[] = await dataSource.query(
    `SELECT id FROM sync_events WHERE status = 'failed' ORDER BY id LIMIT 1`,
  );
  if (failed[0]) return String(failed[0].id);
  // As the transport records a refusal (sync_events.failure): Discord would not hand out the
  // Rank 5 role because it sits above the bot's own role. On an event of a linked Discord member.
  // In a CTE so the driver returns rows (a bare UPDATE ... RETURNING comes back as [rows, n]).
  const rows: { id: string }[] = await dataSource.query(
    `WITH target AS (
       SELECT e.id, i.external_id FROM sync_events e
         JOIN identities i ON i.account_id = e.account_id AND i.platform = 'discord'
        WHERE e.status IN ('completed', 'pending')
        ORDER BY (e.type = 'rank.changed') DESC, e.id LIMIT 1),
     marked AS (
       UPDATE sync_events e SET status = 'failed', attempts = max_attempts, lease_until = NULL,
              completed_at = NULL,
              last_error = 'DiscordAPIError[50013]: Missing Permissions (seeded demo failure)',
              failure = jsonb_build_object(
                'message', 'Missing Permissions (seeded demo failure)',
                'httpStatus', 403, 'discordCode', 50013,
                'roleId', $1::text, 'memberId', target.external_id)
         FROM target WHERE e.id = target.id
        RETURNING e.id)
     SELECT id FROM marked`,
    [DEMO_RANK_ROLES[5]],
  );
  if (!rows[0]) throw new Error('seed: no event of a Discord member to mark failed');
  return String(rows[0].id);
}
