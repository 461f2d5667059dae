import { AppConfig } from '@ttfd/config';
import { LaneClaimers } from './lane-claimers';

function claimers(databaseUrl: string | undefined, concurrency: number): LaneClaimers {
  return new LaneClaimers({
    database: { url: databaseUrl },
    env: { SYNC_LANE_CLAIMERS: concurrency },
  } as unknown as AppConfig);
}

describe('LaneClaimers', () => {
  it('runs up to SYNC_LANE_CLAIMERS loops per lane on Postgres; a wake-up beyond marks the lane', async () => {
    const lanes = claimers('postgres://db', 2);
    expect(lanes.enter('roles')).toBe(true);
    lanes.claimStarts('roles');
    expect(lanes.nudge('roles')).toBe(false); // a wake-up may still start a loop
    expect(lanes.enter('roles')).toBe(true);
    lanes.claimStarts('roles');
    expect(lanes.enter('roles')).toBe(false);
    await expect(lanes.waitForMore('roles', 0)).resolves.toBe(true);
    lanes.claimStarts('roles');
    await expect(lanes.waitForMore('roles', 0)).resolves.toBe(false);
    expect(lanes.nudge('roles')).toBe(true); // every loop runs: marked, no wake-up needed
    await expect(lanes.waitForMore('roles', 0)).resolves.toBe(true);
    lanes.claimStarts('roles');
    lanes.leave('roles');
    expect(lanes.enter('roles')).toBe(true);
    expect(lanes.enter('dm:discord')).toBe(true); // lanes are counted apart
  });

  it('wakes nothing for a commit or a wake-up while a loop is about to claim: its claim sees the row', () => {
    const lanes = claimers('postgres://db', 4);
    expect(lanes.enter('roles')).toBe(true);
    expect(lanes.nudge('roles')).toBe(true); // covered: no Redis wake-up
    expect(lanes.enter('roles')).toBe(false); // a wake-up from elsewhere starts no second loop
    lanes.claimStarts('roles');
    expect(lanes.nudge('roles')).toBe(false); // the claim is out: a later commit needs a loop
    expect(lanes.enter('roles')).toBe(true);
    lanes.claimStarts('roles');
    lanes.claimsOn('roles'); // a full batch: that loop claims again at once
    expect(lanes.nudge('roles')).toBe(true);
  });

  it.each(['roles-bulk', 'dm:telegram', 'dm:discord'] as const)(
    'gives %s, a lane that yields to live role changes, at most 2 loops',
    (lane) => {
      const lanes = claimers('postgres://db', 16);
      expect(lanes.enter(lane)).toBe(true);
      lanes.claimStarts(lane);
      expect(lanes.enter(lane)).toBe(true);
      lanes.claimStarts(lane);
      expect(lanes.enter(lane)).toBe(false);
      expect(lanes.enter('roles')).toBe(true); // live role changes keep their loops
    },
  );

  it('runs one loop per lane on the embedded PGlite (one connection)', () => {
    const lanes = claimers(undefined, 16);
    expect(lanes.enter('roles')).toBe(true);
    lanes.claimStarts('roles');
    expect(lanes.enter('roles')).toBe(false);
    expect(lanes.enter('dm:telegram')).toBe(true);
  });
  it("wakes one loop lingering on its drained lane at this process's next commits, or at a wake-up beyond the limit", async () => {
    const lanes = claimers('postgres://db', 2);
    expect(lanes.enter('roles')).toBe(true);
    lanes.claimStarts('roles');
    expect(lanes.enter('roles')).toBe(true);
    lanes.claimStarts('roles');
    let woken = 0;
    const first = lanes.waitForMore('roles', 60_000).then((more) => more && ++woken);
    const second = lanes.waitForMore('roles', 60_000).then((more) => more && ++woken);
    expect(lanes.nudge('roles')).toBe(true); // the commit needs no wake-up through Redis
    expect(lanes.nudge('roles')).toBe(true); // a second commit before that loop claims
    await first;
    expect(woken).toBe(1); // one loop claims both rows; the other lingers on
    lanes.claimStarts('roles');
    expect(lanes.enter('roles')).toBe(false); // a wake-up from elsewhere, every loop taken
    await second;
    expect(woken).toBe(2);
    lanes.claimStarts('roles');
    await expect(lanes.waitForMore('roles', 0)).resolves.toBe(false); // nothing marked
  });

  it('lets a lingering loop stop when nothing comes, and a later commit is a wake-up again', async () => {
    const lanes = claimers('postgres://db', 2);
    expect(lanes.enter('roles')).toBe(true);
    lanes.claimStarts('roles');
    await expect(lanes.waitForMore('roles', 5)).resolves.toBe(false);
    lanes.leave('roles');
    expect(lanes.nudge('roles')).toBe(false);
  });
});
