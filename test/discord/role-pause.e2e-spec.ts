/**
 * A role Discord keeps refusing (it sits above the bot's role: 403 50013 Missing Permissions)
 * is paused after 3 refusals in a row: later role changes for it fail fast with no request
 * made (Discord bans a bot's IP after 10,000 invalid requests in 10 minutes). The failed
 * events store Discord's code, the role and the member; /health names the paused role.
 */
import { ManualClock } from '@ttfd/clock';
import { LedgerService } from '@ttfd/economy';
import { IdentityService } from '@ttfd/linking';
import { FakeDiscord } from '../fakes/discord';
import { http } from '../api/api-client';
import { TEST_ADMIN_TOKEN, waitFor } from '../support/test-app';
import { DiscordKit, startDiscordApp } from './discord-test-kit';

interface FailureRow {
  account_id: string;
  status: string;
  last_error: string | null;
  failure: Record<string, unknown> | null;
}

describe('Discord role refused with 403', () => {
  let kit: DiscordKit;
  let fake: FakeDiscord;
  let aboveBot: string;
  let adjustments = 0;

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    kit = { fake, ...(await startDiscordApp(fake, new ManualClock('2026-03-02T10:00:00Z'))) };
    // Rank 4's role sits above the bot's highest role: Discord refuses every change of it.
    aboveBot = fake.addRole(fake.guild.id, { name: 'Above the bot', position: 1_000 }).id;
    await kit.db.query(`UPDATE rank_role_mappings SET discord_role_id = $1 WHERE rank_id = 4`, [
      aboveBot,
    ]);
  });

  afterAll(async () => {
    await kit?.app.close();
    await fake?.stop();
  });

  async function rankUp(discordUserId: string): Promise<string> {
    const { accountId } = await kit.app.app.get(IdentityService).resolve('discord', discordUserId);
    await kit.app.app.get(LedgerService).adjust({
      accountId,
      xp: 4_750, // rank 4
      reason: 'admin_adjustment',
      source: 'admin',
      idempotencyKey: `admin:pause-${++adjustments}`,
    });
    return accountId;
  }

  const failedRankEvent = (accountId: string) =>
    waitFor(
      async () => {
        const rows: FailureRow[] = await kit.db.query(
          `SELECT account_id, status, last_error, failure FROM sync_events
            WHERE account_id = $1 AND type = 'rank.changed' AND failure IS NOT NULL`,
          [accountId],
        );
        return rows[0];
      },
      { what: `the failed rank event of account ${accountId}` },
    );

  const refusals = () =>
    fake
      .roleCalls({ includeFailed: true })
      .filter((c) => c.roleId === aboveBot && c.status === 403);

  it('stores the code, role and member of each refusal, pauses the role after 3, then makes no call', async () => {
    const members = [fake.guild.users.alice, fake.guild.users.bob];
    for (const name of ['carol', 'dave', 'erin'])
      members.push(fake.memberJoin(fake.createUser(name)));

    const first = await failedRankEvent(await rankUp(members[0].id));
    expect(first.last_error).toBe(
      `roles: PUT role ${aboveBot} on member ${members[0].id}: Discord 50013 Missing Permissions (403)`,
    );
    expect(first.failure).toEqual({
      message: first.last_error,
      httpStatus: 403,
      discordCode: 50013,
      roleId: aboveBot,
      memberId: members[0].id,
    });

    // The next members' rank-ups meet the same refusal until the third one in a row.
    let member = 1;
    while (refusals().length < 3) {
      await failedRankEvent(await rankUp(members[member].id));
      member += 1;
    }
    expect(refusals()).toHaveLength(3);

    // The role is paused: the next member's rank-up fails fast, with no request to Discord.
    const next = members[member];
    const paused = await failedRankEvent(await rankUp(next.id));
    expect(paused.last_error).toMatch(
      new RegExp(
        `^roles: PUT role ${aboveBot} on member ${next.id}: role paused until .*no call made`,
      ),
    );
    expect(paused.failure).toMatchObject({
      roleId: aboveBot,
      memberId: next.id,
      discordCode: null,
    });
    expect(fake.roleCalls({ includeFailed: true }).filter((c) => c.userId === next.id)).toEqual([]);
    expect(refusals()).toHaveLength(3);

    // The operator sees it: /health names the role, the events page shows the details.
    const health = (await (await fetch(`${kit.app.url}/health`)).json()) as {
      status: string;
      checks: Record<string, { status: string; detail?: string }>;
    };
    expect(health.status).toBe('degraded');
    expect(health.checks['discord-roles']).toMatchObject({ status: 'degraded' });
    expect(health.checks['discord-roles'].detail).toContain(aboveBot);

    const page = await http(kit.app.url, 'GET', `/admin/sync/events?type=rank.changed`, {
      token: TEST_ADMIN_TOKEN,
    });
    const shown = (page.body as { events: { failure: Record<string, unknown> | null }[] }).events;
    expect(shown.map((e) => e.failure?.memberId)).toContain(members[0].id);
    expect(shown.find((e) => e.failure?.memberId === members[0].id)?.failure).toMatchObject({
      discordCode: 50013,
      httpStatus: 403,
      roleId: aboveBot,
    });

    const metrics = await (await fetch(`${kit.app.url}/metrics`)).text();
    expect(metrics).toMatch(/ttfd_discord_roles_paused 1/);
    expect(metrics).toMatch(/ttfd_discord_role_calls_refused_total\{reason="paused"\} [1-9]/);
  });
});
