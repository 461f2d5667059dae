import { award, discordPlayer, settled, startSyncWorld, SyncWorld } from '../sync/sync-harness';
import { metricSum, parseMetrics } from '../api/api-client';

/** The sync engine reports to observability through its observer port: counters move. */
describe('sync metrics', () => {
  let world: SyncWorld;

  beforeAll(async () => {
    world = await startSyncWorld({ env: { SYNC_MAX_ATTEMPTS: '1' } });
  });

  afterAll(async () => {
    await world?.app.close();
  });

  const scrape = async () => parseMetrics(await (await fetch(`${world.app.url}/metrics`)).text());

  it('counts events created, completed and failed by type, and job durations', async () => {
    const before = await scrape();
    const player = await discordPlayer(world);
    await award(world, player.accountId, 8_000); // rank.changed (1 -> 5) + rank_5
    await settled(world);
    // The rank-5 role comes off (no role mapped above rank 5): that call fails, so does the event.
    world.gateway.failNext(1, { op: 'remove', message: 'discord down' });
    await award(world, player.accountId, 100_000); // crosses more ranks: its role event fails
    await settled(world);
    const after = await scrape();

    const delta = (name: string, type: string) =>
      metricSum(after, name, [`type="${type}"`]) - metricSum(before, name, [`type="${type}"`]);
    expect(delta('ttfd_sync_events_created_total', 'rank.changed')).toBe(2);
    // Totals are not outbox events any more: the ledger row is their record.
    expect(delta('ttfd_sync_events_created_total', 'xp.changed')).toBe(0);
    expect(delta('ttfd_sync_events_completed_total', 'rank.changed')).toBe(1);
    expect(delta('ttfd_sync_events_failed_total', 'rank.changed')).toBe(1);
    expect(
      metricSum(after, 'ttfd_job_duration_seconds_count', ['queue="sync"', 'outcome="completed"']),
    ).toBeGreaterThan(0);
  });
});
