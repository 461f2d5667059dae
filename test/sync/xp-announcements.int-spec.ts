/**
 * What the sync tells about a rank-up, through the real pipeline (outbox, BullMQ, workers):
 * - a rank-up is announced once (a rank.changed processed twice is still one announcement), in
 *   one batched message;
 * - a roles.resync (a mass change, an import) converges roles but never announces nor DMs;
 * - a player who turned DMs off gets no DM from any notifier, and the role still follows.
 */
import { DataSource } from 'typeorm';
import { inTransaction } from '@ttfd/database';
import { AnnouncementChannel, RankAnnouncements, XpRulesAdmin } from '@ttfd/economy';
import { OutboxWriter, SyncAdminService } from '@ttfd/sync';
import {
  award,
  discordPlayer,
  eventsOf,
  ROLE,
  settled,
  startSyncWorld,
  SyncWorld,
} from './sync-harness';

describe('rank-up announcements and DM opt-outs in the sync', () => {
  let world: SyncWorld;
  const posted: { target: string; text: string }[] = [];
  const channel: AnnouncementChannel = {
    platform: 'discord',
    post: async (target, text) => {
      posted.push({ target, text });
    },
  };

  beforeAll(async () => {
    world = await startSyncWorld();
    await world.app.app.get(XpRulesAdmin).setAnnouncements({
      enabled: true,
      discordChannelId: '500000000000000001',
      templateEn: '{player} reached {rank}',
      templateRu: '{player} reached {rank}',
    });
    world.app.app.get(RankAnnouncements).register(channel);
  });

  afterAll(async () => {
    await world.app.close();
  });

  async function announcements(db: DataSource, accountId: string) {
    return db.query(
      `SELECT sync_event_id, rank_id, status FROM rank_announcements WHERE account_id = $1`,
      [accountId],
    );
  }

  it('announces a rank-up once, even when its event is processed again', async () => {
    const { userId, accountId } = await discordPlayer(world);
    await world.db.query(
      `UPDATE identities SET display_name = 'Ann', locale = 'en-US' WHERE account_id = $1`,
      [accountId],
    );
    await award(world, accountId, 1_000); // rank 2
    await settled(world);
    const rank = (await eventsOf(world, accountId)).find((e) => e.type === 'rank.changed')!;
    // Processed again (as after a failure an admin retried): the announcement is keyed by the
    // event, and so is the DM's own row (notify.dm, already completed): neither is sent again.
    await world.db.query(`UPDATE sync_events SET status = 'failed' WHERE id = $1`, [rank.id]);
    expect(await world.app.app.get(SyncAdminService).retry(rank.id)).toBe(true);
    await settled(world);
    expect(world.discord.to(userId).filter((n) => n.kind === 'rankUp')).toHaveLength(1);
    expect(await announcements(world.db, accountId)).toEqual([
      { sync_event_id: rank.id, rank_id: 2, status: 'pending' },
    ]);
    await world.app.app.get(RankAnnouncements).sendPending();
    expect(posted).toEqual([{ target: '500000000000000001', text: 'Ann reached Apprentice' }]);
  });

  it('never announces nor DMs for a roles.resync, which still converges roles', async () => {
    const { userId, accountId } = await discordPlayer(world);
    await award(world, accountId, 5_000); // rank 4, announced and told
    await settled(world);
    await world.db.query(`DELETE FROM rank_announcements`);
    world.discord.sent.length = 0;
    // The role was lost and nothing is stored for the member (as for an imported player): a
    // mass resync reads the member and puts the role back.
    world.gateway.setMember(userId, []);
    await world.db.query(`DELETE FROM discord_member_roles WHERE discord_user_id = $1`, [userId]);
    await inTransaction(world.db, undefined, (tx) =>
      world.app.app
        .get(OutboxWriter)
        .append(tx, [
          { type: 'roles.resync', source: 'admin', accountId, payload: { bulk: true } },
        ]),
    );
    await settled(world);
    expect(world.gateway.rolesOf(userId)).toEqual([ROLE.rank4]);
    expect(await announcements(world.db, accountId)).toEqual([]);
    expect(world.discord.to(userId)).toEqual([]);
  });

  it('sends no DM to a player who opted out; the role still follows', async () => {
    const { userId, accountId } = await discordPlayer(world);
    await world.db.query(`UPDATE accounts SET dm_opt_out = true WHERE id = $1`, [accountId]);
    world.discord.sent.length = 0;
    await award(world, accountId, 5_000); // rank 4: a rank-up and its role
    await settled(world);
    expect(world.gateway.rolesOf(userId)).toEqual([ROLE.rank4]);
    expect(world.discord.to(userId)).toEqual([]);
    expect(world.telegram.sent).toEqual([]);
    expect((await eventsOf(world, accountId)).every((e) => e.status === 'completed')).toBe(true);
  });
});
