/**
 * Role mappings only name roles that exist: ids are checked as 64-bit snowflakes, then against
 * the guild's roles (REST, from an API-only process that has the bot token; cached 60 s). When
 * Discord does not answer, the mapping is saved with a warning.
 */
import { ManualClock } from '@ttfd/clock';
import { adminGql, http } from '../api/api-client';
import { FakeDiscord } from '../fakes/discord';
import { startTestApp, TEST_ADMIN_TOKEN, TestApp } from '../support/test-app';
import { discordEnv } from './discord-test-kit';

describe('Discord role ids in mappings', () => {
  let discord: FakeDiscord;
  let t: TestApp;
  const clock = new ManualClock('2026-03-02T10:00:00Z');
  const putRankRole = (rankId: number, discordRoleId: string | null) =>
    http(t.url, 'PUT', `/admin/rank-roles/${rankId}`, {
      token: TEST_ADMIN_TOKEN,
      body: { discordRoleId },
    });
  const roleCalls = () => discord.calls('GET /guilds/:g/roles');

  beforeAll(async () => {
    discord = await FakeDiscord.start();
    // The api role alone: no gateway session, only the token.
    t = await startTestApp({ clock, env: { ...discordEnv(discord), APP_ROLES: 'api' } });
  });
  afterAll(async () => {
    await t?.close();
    await discord?.stop();
  });

  it('refuses ids beyond 64 bits, over REST and GraphQL', async () => {
    const rest = await putRankRole(3, '99999999999999999999');
    expect(rest.status).toBe(400);
    expect(JSON.stringify(rest.body)).toContain('64-bit');
    const graphql = await adminGql(
      t.url,
      `mutation SetRank($key: Int!, $roleId: String) { setRankRole(rankId: $key, role: { discordRoleId: $roleId }) { resynced } }`,
      { key: 3, roleId: '99999999999999999999' },
    );
    expect(graphql.errors![0].extensions!.code).toBe('BAD_REQUEST');
  });

  it('saves a role the guild has; refuses one it does not (one roles read per minute)', async () => {
    const before = roleCalls().length;
    const saved = await putRankRole(3, discord.guild.roles.rank2);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ warnings: [] });
    const unknown = await putRankRole(4, '123456789012345678');
    expect(unknown.status).toBe(404);
    expect(JSON.stringify(unknown.body)).toContain('UNKNOWN_DISCORD_ROLE');
    expect(roleCalls().length - before).toBe(1);
  });

  it('saves with a warning when Discord does not answer', async () => {
    clock.advance(61_000);
    discord.failNext('GET /guilds/:g/roles', { status: 500 }, 1);
    const saved = await putRankRole(5, '123456789012345679');
    expect(saved.status).toBe(200);
    expect((saved.body as { warnings: string[] }).warnings).toEqual([
      expect.stringContaining('Role ids saved unchecked: Discord did not answer'),
    ]);
  });
});
