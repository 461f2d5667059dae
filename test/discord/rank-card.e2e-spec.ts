/**
 * `/rank` and `/profile` answer with a rank card image through the real discord.js against the
 * fake Discord: the member's avatar comes from the fake CDN (DISCORD_CDN_BASE), the card is drawn
 * once per version (a repeat is served from the cache), a change of XP draws a new one, and a
 * card that cannot be drawn leaves the text embed.
 */
import { createCanvas } from '@napi-rs/canvas';
import { MessageFlags } from 'discord.js';
import { CardRenderer } from '@ttfd/cards';
import { ManualClock } from '@ttfd/clock';
import { LedgerService } from '@ttfd/economy';
import { IdentityService } from '@ttfd/linking';
import { FakeDiscord, type InteractionHandle } from '../fakes/discord';
import { waitFor } from '../support/test-app';
import { DiscordKit, startDiscordApp } from './discord-test-kit';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

async function avatarPng(): Promise<Buffer> {
  const canvas = createCanvas(64, 64);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#e0457b';
  ctx.fillRect(0, 0, 64, 64);
  return canvas.encode('png');
}

describe('Discord rank card', () => {
  let kit: DiscordKit;
  let fake: FakeDiscord;
  let renderer: CardRenderer;
  let seq = 0;

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    kit = { fake, ...(await startDiscordApp(fake, new ManualClock('2026-03-02T10:00:00Z'))) };
    renderer = kit.app.app.get(CardRenderer);
  });

  afterAll(async () => {
    await kit?.app.close();
    await fake?.stop();
  });

  async function award(discordUserId: string, xp: number): Promise<void> {
    const { accountId } = await kit.app.app
      .get(IdentityService)
      .resolve('discord', discordUserId, {});
    await kit.app.app.get(LedgerService).adjust({
      accountId,
      xp,
      coins: 5,
      reason: 'admin_adjustment',
      source: 'admin',
      idempotencyKey: `admin:rank-card-${++seq}`,
    });
  }

  /** The card the member received: the file uploaded with the answer to this interaction. */
  async function cardOf(handle: InteractionHandle): Promise<{ name: string; bytes: Buffer }> {
    const upload = await waitFor(
      () => fake.uploads().find((u) => u.path.includes(`/${handle.token}/`)),
      { what: `the card of interaction ${handle.id}` },
    );
    return { name: upload.name, bytes: upload.bytes };
  }

  it('registers /rank beside /profile', () => {
    const names = fake.commands(fake.guild.id).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['profile', 'rank']));
  });

  it('/rank answers with an ephemeral card drawn with the avatar from the CDN', async () => {
    const { alice } = fake.guild.users;
    const hash = fake.setAvatar(alice.id, await avatarPng());
    await award(alice.id, 1_500);
    const before = renderer.renders;

    const handle = fake.interaction({ kind: 'command', name: 'rank', userId: alice.id });
    const card = await cardOf(handle);
    const response = await handle.waitForResponse();

    expect(response.flags! & MessageFlags.Ephemeral).toBeTruthy();
    expect(response.embeds ?? []).toEqual([]);
    expect(card.name).toMatch(/^rank-[0-9a-f]{16}\.png$/);
    expect(card.bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(renderer.renders).toBe(before + 1);
    expect(fake.cdnRequests()).toContain(`avatars/${alice.id}/${hash}.png`);
  });

  it('a repeat without change is served from the cache; Russian is a card of its own', async () => {
    const { alice } = fake.guild.users;
    const first = await cardOf(
      fake.interaction({ kind: 'command', name: 'rank', userId: alice.id }),
    );
    const rendersBefore = renderer.renders;
    const cdnBefore = fake.cdnRequests().length;

    const again = await cardOf(
      fake.interaction({ kind: 'command', name: 'profile', userId: alice.id }),
    );
    expect(again.name).toBe(first.name);
    expect(again.bytes.equals(first.bytes)).toBe(true);
    expect(renderer.renders).toBe(rendersBefore);
    expect(fake.cdnRequests()).toHaveLength(cdnBefore);

    const ru = await cardOf(
      fake.interaction({ kind: 'command', name: 'profile', userId: alice.id, locale: 'ru' }),
    );
    expect(ru.name).not.toBe(first.name);
    expect(ru.bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(renderer.renders).toBe(rendersBefore + 1);
  });

  it('a change of XP changes the card', async () => {
    const { alice } = fake.guild.users;
    const before = await cardOf(
      fake.interaction({ kind: 'command', name: 'rank', userId: alice.id }),
    );
    const rendersBefore = renderer.renders;
    await award(alice.id, 250);
    const after = await cardOf(
      fake.interaction({ kind: 'command', name: 'rank', userId: alice.id }),
    );
    expect(after.name).not.toBe(before.name);
    expect(after.bytes.equals(before.bytes)).toBe(false);
    expect(renderer.renders).toBe(rendersBefore + 1);
  });

  it('a member without an avatar gets the initials, nothing is fetched', async () => {
    const { bob } = fake.guild.users;
    const cdnBefore = fake.cdnRequests().length;
    const card = await cardOf(fake.interaction({ kind: 'command', name: 'rank', userId: bob.id }));
    expect(card.bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(fake.cdnRequests()).toHaveLength(cdnBefore);
  });

  it('when the card cannot be drawn, the profile embed answers instead', async () => {
    const { bob } = fake.guild.users;
    await award(bob.id, 40); // a new version, so the renderer is asked
    // The one fault a real run cannot provoke on purpose: the canvas failing.
    const render = jest
      .spyOn(renderer, 'render')
      .mockRejectedValueOnce(new Error('canvas out of memory'));
    try {
      const handle = fake.interaction({ kind: 'command', name: 'profile', userId: bob.id });
      const response = await handle.waitForResponse();
      expect(response.flags! & MessageFlags.Ephemeral).toBeTruthy();
      const fields = Object.fromEntries(
        (response.embeds[0]?.fields ?? []).map((f) => [f.name, f.value]),
      );
      expect(fields).toMatchObject({ XP: '40', Coins: '5' });
      expect(fake.uploads().some((u) => u.path.includes(`/${handle.token}/`))).toBe(false);
    } finally {
      render.mockRestore();
    }
  });
});
