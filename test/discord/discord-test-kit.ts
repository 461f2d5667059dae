/**
 * Boots the whole app with the Discord role against a fresh fake Discord, with a ManualClock,
 * and gives the specs what they read: ledger rows, totals, the tracker and the listener.
 */
import { TestingModuleBuilder } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { ManualClock } from '@ttfd/clock';
import { VoiceTracker, XpRandom } from '@ttfd/discord';
import { FakeDiscord } from '../fakes/discord';
import { startTestApp, TestApp, TestAppOptions, waitFor } from '../support/test-app';

export const MESSAGE_XP = 20;

export interface DiscordKit {
  fake: FakeDiscord;
  app: TestApp;
  clock: ManualClock;
  db: DataSource;
  tracker: VoiceTracker;
}

export function discordEnv(fake: FakeDiscord): Record<string, string> {
  return {
    APP_ROLES: 'api,worker,scheduler,discord',
    DISCORD_BOT_TOKEN: fake.token,
    DISCORD_GUILD_ID: fake.guild.id,
    DISCORD_API_BASE: fake.apiBase,
    DISCORD_CDN_BASE: fake.cdnBase,
  };
}

/** Message XP pinned to MESSAGE_XP so totals are exact. */
export function pinnedXp(builder: TestingModuleBuilder): TestingModuleBuilder {
  return builder.overrideProvider(XpRandom).useValue({ between: () => MESSAGE_XP });
}

export async function startDiscordApp(
  fake: FakeDiscord,
  clock: ManualClock,
  options: Partial<TestAppOptions> = {},
): Promise<Omit<DiscordKit, 'fake'>> {
  const app = await startTestApp({
    clock,
    override: pinnedXp,
    ...options,
    env: { ...discordEnv(fake), ...options.env },
  });
  const tracker = app.app.get(VoiceTracker);
  // Ready = logged in, GUILD_CREATE read, commands registered.
  await waitFor(() => tracker.ready && fake.commands(fake.guild.id).length > 0, {
    what: 'the Discord bot to be ready',
  });
  return { app, clock, db: app.app.get(DataSource), tracker };
}

/** Every outbox event of the account has been handled by the worker. */
export async function accountSettled(db: DataSource, accountId: string): Promise<void> {
  await waitFor(
    async () => {
      const rows: { n: string }[] = await db.query(
        `SELECT count(*) AS n FROM sync_events WHERE account_id = $1 AND status <> 'completed'`,
        [accountId],
      );
      return Number(rows[0].n) === 0;
    },
    { what: `the sync events of account ${accountId}` },
  );
}

export async function accountOf(db: DataSource, discordUserId: string): Promise<string | null> {
  const rows: { account_id: string }[] = await db.query(
    `SELECT account_id FROM identities WHERE platform = 'discord' AND external_id = $1`,
    [discordUserId],
  );
  return rows[0] ? String(rows[0].account_id) : null;
}

export async function ledgerRows(
  db: DataSource,
  discordUserId: string,
  reason: 'discord_message' | 'discord_voice',
): Promise<{ xp: number; key: string }[]> {
  const rows: { xp_delta: string; idempotency_key: string }[] = await db.query(
    `SELECT l.xp_delta, l.idempotency_key FROM ledger_entries l
       JOIN identities i ON i.account_id = l.account_id
      WHERE i.platform = 'discord' AND i.external_id = $1 AND l.reason = $2
      ORDER BY l.id`,
    [discordUserId, reason],
  );
  return rows.map((row) => ({ xp: Number(row.xp_delta), key: row.idempotency_key }));
}

export async function xpOf(db: DataSource, discordUserId: string): Promise<number> {
  const rows: { xp: string }[] = await db.query(
    `SELECT a.xp FROM accounts a JOIN identities i ON i.account_id = a.id
      WHERE i.platform = 'discord' AND i.external_id = $1`,
    [discordUserId],
  );
  return rows[0] ? Number(rows[0].xp) : 0;
}
