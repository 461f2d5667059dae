/**
 * Slash commands and DMs through the real discord.js against the fake Discord: registered to
 * the guild, answered within the deadline, ephemeral where they concern one player, localized
 * by the member's Discord locale.
 */
import { MessageFlags } from 'discord.js';
import { ManualClock } from '@ttfd/clock';
import { LedgerService, SeasonsService } from '@ttfd/economy';
import { IdentityService } from '@ttfd/linking';
import { FakeDiscord } from '../fakes/discord';
import { waitFor } from '../support/test-app';
import { DiscordKit, startDiscordApp } from './discord-test-kit';

describe('Discord slash commands', () => {
  let kit: DiscordKit;
  let fake: FakeDiscord;

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    kit = { fake, ...(await startDiscordApp(fake, new ManualClock('2026-03-02T10:00:00Z'))) };
  });

  afterAll(async () => {
    await kit?.app.close();
    await fake?.stop();
  });

  it('registers exactly its commands to the guild only, /stats for Manage Server', () => {
    const commands = fake.commands(fake.guild.id);
    expect(commands.map((c) => c.name).sort()).toEqual(
      ['link', 'profile', 'rank', 'settings', 'stats', 'sync', 'top', 'unlink'].sort(),
    );
    expect(fake.commands()).toEqual([]);
    expect(commands.find((c) => c.name === 'stats')?.default_member_permissions).toBe('32');
    expect(commands.find((c) => c.name === 'link')?.options?.[0]).toMatchObject({
      name: 'code',
      required: false,
    });
  });

  it('reports the gateway in /health', async () => {
    const response = await fetch(`${kit.app.url}/health`);
    const body = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBe(200);
    expect(JSON.stringify(body)).toContain('discord');
  });

  it('/link without a code issues one for Telegram, in Russian for a Russian client', async () => {
    const handle = fake.interaction({
      kind: 'command',
      name: 'link',
      userId: fake.guild.users.bob.id,
      locale: 'ru',
    });
    const response = await handle.waitForResponse();
    expect(response.content).toMatch(/^Твой код: \*\*[A-Z0-9-]+\*\*/);
    expect(response.flags! & MessageFlags.Ephemeral).toBeTruthy();
  });

  it('/unlink answers at once when nothing is linked: no question, no button', async () => {
    const handle = fake.interaction({
      kind: 'command',
      name: 'unlink',
      userId: fake.guild.users.alice.id,
    });
    const response = await handle.waitForResponse();
    expect(response.content).toBe('No Telegram account is linked to this profile.');
    expect(response.components ?? []).toEqual([]);
    expect(response.flags! & MessageFlags.Ephemeral).toBeTruthy();
  });

  it('/link with a wrong code answers with the localized refusal', async () => {
    const handle = fake.interaction({
      kind: 'command',
      name: 'link',
      userId: fake.guild.users.bob.id,
      options: { code: 'NOPE-0000' },
    });
    expect((await handle.waitForResponse()).content).toBe(
      'There is no such code. Check it and try again.',
    );
  });

  it('/profile shows an ephemeral rank card for a Discord-only player', async () => {
    const { alice } = fake.guild.users;
    const { accountId } = await kit.app.app
      .get(IdentityService)
      .resolve('discord', alice.id, { displayName: 'Alice' });
    await kit.app.app.get(LedgerService).adjust({
      accountId,
      xp: 1_500,
      coins: 40,
      reason: 'admin_adjustment',
      source: 'admin',
      idempotencyKey: 'admin:profile-test',
    });
    const handle = fake.interaction({ kind: 'command', name: 'profile', userId: alice.id });
    const response = await handle.waitForResponse();
    expect(response.flags! & MessageFlags.Ephemeral).toBeTruthy();
    // The card itself is checked in rank-card.e2e-spec.ts; here: it is the answer.
    const upload = await waitFor(() =>
      fake.uploads().find((u) => u.path.includes(`/${handle.token}/`)),
    );
    expect(upload.name).toMatch(/^rank-[0-9a-f]{16}\.png$/);
  });

  it('/top shows the season leaderboard in the channel', async () => {
    await kit.app.app.get(SeasonsService).ensureOpen();
    const handle = fake.interaction({
      kind: 'command',
      name: 'top',
      userId: fake.guild.users.alice.id,
    });
    const response = await handle.waitForResponse();
    expect(response.flags ?? 0).toBe(0);
    expect(response.embeds[0]?.description).toContain('1. Alice: 1500 XP');
  });

  it('/stats answers admins only, ephemeral', async () => {
    const denied = fake.interaction({
      kind: 'command',
      name: 'stats',
      userId: fake.guild.users.bob.id,
    });
    expect((await denied.waitForResponse()).content).toBe(
      'This command is for server admins only.',
    );
    const allowed = fake.interaction({
      kind: 'command',
      name: 'stats',
      userId: fake.guild.users.owner.id,
    });
    const response = await allowed.waitForResponse();
    expect(response.flags! & MessageFlags.Ephemeral).toBeTruthy();
    expect(response.embeds[0]?.title).toBe('Sync over 15 min');
  });

  it('tells a player their rank-up by DM, in their Discord language', async () => {
    const { alice } = fake.guild.users;
    // Alice used a Russian client last time.
    const profile = fake.interaction({
      kind: 'command',
      name: 'profile',
      userId: alice.id,
      locale: 'ru',
    });
    await profile.waitForResponse();
    const accountId = await kit.app.app.get(IdentityService).accountOf('discord', alice.id);
    await kit.app.app.get(LedgerService).adjust({
      accountId,
      xp: 1_100, // 2600: rank 3
      reason: 'admin_adjustment',
      source: 'admin',
      idempotencyKey: 'admin:dm-test',
    });
    const dm = await waitFor(() => fake.dms(alice.id).find((m) => m.content.includes('Искатель')), {
      what: 'the rank-up DM',
    });
    expect(dm.content).toContain('Новый ранг');
    expect(fake.problems()).toEqual([]);
  });
});
