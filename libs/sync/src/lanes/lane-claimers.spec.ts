import { AppConfig } from '@ttfd/config';
import { LaneClaimers } from './lane-claimers';

function claimers(databaseUrl: string | undefined, concurrency: number): LaneClaimers {
  return new LaneClaimers({
    database: { url: databaseUrl },
    env: { SYNC_LANE_CLAIMERS: concurrency },
  } as unknown as AppConfig);
}

describe('LaneClaimers', () => {
  it('runs up to SYNC_LANE_CLAIMERS loops per lane on Postgres; a wake-up beyond marks the lane', () => {
    const lanes = claimers('postgres://db', 2);
    expect(lanes.enter('roles')).toBe(true);
    expect(lanes.nudge('roles')).toBe(false); // a wake-up may still start a loop
    expect(lanes.enter('roles')).toBe(true);
    expect(lanes.takeAgain('roles')).toBe(false);
    expect(lanes.enter('roles')).toBe(false);
    expect(lanes.takeAgain('roles')).toBe(true);
    expect(lanes.takeAgain('roles')).toBe(false);
    expect(lanes.nudge('roles')).toBe(true); // every loop runs: marked, no wake-up needed
    expect(lanes.takeAgain('roles')).toBe(true);
    lanes.leave('roles');
    expect(lanes.enter('roles')).toBe(true);
    expect(lanes.enter('dm:discord')).toBe(true); // lanes are counted apart
  });

  it('gives the mass-change lane at most 2 loops', () => {
    const lanes = claimers('postgres://db', 16);
    expect(lanes.enter('roles-bulk')).toBe(true);
    expect(lanes.enter('roles-bulk')).toBe(true);
    expect(lanes.enter('roles-bulk')).toBe(false);
  });

  it('runs one loop per lane on the embedded PGlite (one connection)', () => {
    const lanes = claimers(undefined, 16);
    expect(lanes.enter('roles')).toBe(true);
    expect(lanes.enter('roles')).toBe(false);
    expect(lanes.enter('dm:telegram')).toBe(true);
  });
  it("wakes a loop lingering on its drained lane at this process's next commit, or at a wake-up beyond the limit", async () => {
    const lanes = claimers('postgres://db', 1);
    expect(lanes.enter('roles')).toBe(true);
    const lingering = lanes.linger('roles', 60_000);
    expect(lanes.nudge('roles')).toBe(true); // the commit needs no wake-up through Redis
    await expect(lingering).resolves.toBe(true);
    expect(lanes.takeAgain('roles')).toBe(false); // it was the lingering loop's to claim

    const again = lanes.linger('roles', 60_000);
    expect(lanes.enter('roles')).toBe(false); // a wake-up from elsewhere, every loop taken
    await expect(again).resolves.toBe(true);
  });

  it('lets a lingering loop stop when nothing comes, and a later commit is a wake-up again', async () => {
    const lanes = claimers('postgres://db', 2);
    expect(lanes.enter('roles')).toBe(true);
    await expect(lanes.linger('roles', 5)).resolves.toBe(false);
    lanes.leave('roles');
    expect(lanes.nudge('roles')).toBe(false);
    await expect(lanes.linger('roles', 0)).resolves.toBe(false);
  });
});
