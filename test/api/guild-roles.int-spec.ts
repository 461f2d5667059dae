import { ManualClock } from '@ttfd/clock';
import { loadConfig } from '@ttfd/config';
import { DiscordApi, DiscordGuildRoles } from '@ttfd/api';
import { FakeDiscord } from '../fakes/discord';

/** The role picker's read: the guild's roles by position, and the bot's highest one. */
describe('DiscordGuildRoles against the fake Discord', () => {
  let discord: FakeDiscord;
  const clock = new ManualClock('2026-03-02T10:00:00Z');
  const reader = () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://unused@127.0.0.1/unused',
      DISCORD_BOT_TOKEN: discord.token,
      DISCORD_GUILD_ID: discord.guild.id,
      DISCORD_API_BASE: discord.apiBase,
    });
    return new DiscordGuildRoles(new DiscordApi(config), clock);
  };

  beforeAll(async () => {
    discord = await FakeDiscord.start();
  });
  afterAll(async () => {
    await discord?.stop();
  });

  it("lists the roles highest first without @everyone, with the bot's top position", async () => {
    const list = await reader().list();
    expect(list.kind).toBe('listed');
    if (list.kind !== 'listed') return;
    expect(list.roles.map((r) => r.name)).toEqual([
      'TTFD Sync',
      'Admin',
      'Chatterbox',
      'Rank III',
      'Rank II',
      'Rank I',
    ]);
    expect(list.botTopPosition).toBe(6);
    expect(list.roles.find((r) => r.name === 'TTFD Sync')?.managed).toBe(true);
  });

  it("follows the bot member's roles, and says why when Discord does not answer", async () => {
    const { roles, users } = discord.guild;
    discord.setMemberRoles(discord.guild.id, users.bot.id, [roles.rank2]);
    const list = await reader().list();
    expect(list.kind === 'listed' && list.botTopPosition).toBe(2);
    discord.failNext('GET /guilds/:g/roles', { status: 500 }, 1);
    const down = await reader().list();
    expect(down).toEqual({
      kind: 'unavailable',
      reason: expect.stringContaining('Discord did not answer'),
    });
  });
});
