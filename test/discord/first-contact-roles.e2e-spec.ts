/**
 * A Discord-only member earns their rank-1 role on first contact, within seconds, not at the
 * next reconcile: the account made for a new Discord identity converges like any other change.
 * The reconcile schedule is pushed out of reach, so only the outbox can give the role.
 */
import { ManualClock } from '@ttfd/clock';
import { FakeDiscord, type FakeUser } from '../fakes/discord';
import { waitFor } from '../support/test-app';
import { accountOf, DiscordKit, startDiscordApp } from './discord-test-kit';

/** The first contact must converge well before a reconcile could (every 15 minutes). */
const WITHIN_MS = 5_000;

describe('Discord-only member: roles on first contact', () => {
  let kit: DiscordKit;
  let fake: FakeDiscord;

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    kit = {
      fake,
      ...(await startDiscordApp(fake, new ManualClock('2026-03-02T10:00:00Z'), {
        // Once a year: no reconcile runs during this file.
        env: { RECONCILE_CRON: '0 0 1 1 *' },
      })),
    };
    await kit.db.query(`UPDATE rank_role_mappings SET discord_role_id = $1 WHERE rank_id = 1`, [
      fake.guild.roles.rank1,
    ]);
  });

  afterAll(async () => {
    await kit?.app.close();
    await fake?.stop();
  });

  function newMember(name: string): FakeUser {
    const user = fake.createUser(name);
    fake.memberJoin(user);
    return user;
  }

  async function expectRank1Role(user: FakeUser): Promise<void> {
    const { rank1, achievement } = fake.guild.roles;
    await fake.waitForRoleCall({ method: 'PUT', userId: user.id, roleId: rank1 }, WITHIN_MS);
    expect(fake.memberRoles(fake.guild.id, user.id)?.sort()).toEqual([achievement, rank1].sort());
    const reports: { n: string }[] = await kit.db.query(
      `SELECT count(*) AS n FROM reconcile_reports`,
    );
    expect(Number(reports[0].n)).toBe(0);
  }

  it('a first paid message gives the rank-1 role', async () => {
    const carol = newMember('carol');
    // An unmanaged role they already hold stays.
    fake.setMemberRoles(fake.guild.id, carol.id, [fake.guild.roles.achievement]);
    fake.sendMessage({
      channelId: fake.guild.channels.text,
      author: carol,
      content: 'hello everyone, first time here',
    });
    await waitFor(() => accountOf(kit.db, carol.id), { what: "carol's account" });
    await expectRank1Role(carol);
  });

  it('a first voice minute gives the rank-1 role', async () => {
    const dave = newMember('dave');
    const erin = newMember('erin');
    fake.setMemberRoles(fake.guild.id, dave.id, [fake.guild.roles.achievement]);
    fake.setMemberRoles(fake.guild.id, erin.id, [fake.guild.roles.achievement]);
    const { voiceA } = fake.guild.channels;
    fake.voiceStateUpdate(dave.id, { channelId: voiceA });
    fake.voiceStateUpdate(erin.id, { channelId: voiceA });
    await waitFor(() => kit.tracker.hasSession(dave.id) && kit.tracker.hasSession(erin.id), {
      what: 'both voice sessions',
    });
    kit.clock.advance(61_000);
    await kit.tracker.checkpoint();
    await expectRank1Role(dave);
    await expectRank1Role(erin);
  });

  it('a first command gives the rank-1 role', async () => {
    const frank = newMember('frank');
    fake.setMemberRoles(fake.guild.id, frank.id, [fake.guild.roles.achievement]);
    const handle = fake.interaction({ kind: 'command', name: 'profile', userId: frank.id });
    await handle.waitForResponse();
    await expectRank1Role(frank);
  });
});
