import { DataSource } from 'typeorm';
import { ManualClock } from '@ttfd/clock';
import {
  AccountsService,
  AchievementsService,
  EconomyError,
  ProfileService,
  SeasonsService,
  SeasonStandings,
} from '@ttfd/economy';
import { useEconomyApp } from '../support/economy-app';
import { StatementLog } from '../support/statement-log';

/**
 * The profile is one statement (survivor, totals, achievements, and the open-season place only
 * when asked): every statement the app sends is counted by wrapping `pg`'s Client under it, and
 * the answer is checked against the services that read each part on its own.
 */
describe('The profile in one statement', () => {
  let db: DataSource;
  let accounts: AccountsService;
  let profiles: ProfileService;
  let achievements: AchievementsService;
  let standings: SeasonStandings;
  const clock = new ManualClock('2026-03-10T12:00:00Z');
  const world = useEconomyApp({ clock });
  const log = new StatementLog();
  let survivor: string;
  let absorbed: string;

  beforeAll(async () => {
    db = world.db;
    accounts = world.get(AccountsService);
    profiles = world.get(ProfileService);
    achievements = world.get(AchievementsService);
    standings = world.get(SeasonStandings);
    await world.get(SeasonsService).ensureOpen();
    const others = [await accounts.create(), await accounts.create()];
    survivor = await accounts.create();
    absorbed = await accounts.create();
    await world.earn(others[0], 50);
    await world.earn(others[1], 5);
    await world.earn(survivor, 20);
    clock.advance(60_000);
    await world.earn(survivor, 7);
    // Two achievements unlocked out of catalogue order; the absorbed account points at the
    // survivor (a merge by plain SQL: the chain is what is read here).
    await db.query(
      `INSERT INTO account_achievements (account_id, achievement_code, unlocked_at)
       VALUES ($1, 'messages_100', '2026-03-01T10:00:00.123Z'), ($1, 'first_win', '2026-02-01T08:00:00Z')`,
      [survivor],
    );
    await db.query(`UPDATE accounts SET merged_into = $2 WHERE id = $1`, [absorbed, survivor]);
    log.start();
  });

  afterAll(() => {
    log.stop();
  });

  const statementsOf = <T>(work: () => Promise<T>) => log.during(work);

  it('reads the survivor, its totals, achievements and season place in one statement', async () => {
    const { value: profile, sql } = await statementsOf(() => profiles.get(absorbed));
    expect(sql).toHaveLength(1);
    const totals = (await accounts.getSurvivor(absorbed))!;
    expect(profile).toMatchObject({ accountId: survivor, xp: totals.xp, coins: totals.coins });
    expect(profile.xp).toBe(27);
    expect(profile.rank.id).toBe(totals.rankId);
    expect(profile.achievements).toEqual(await achievements.of(survivor));
    expect(profile.achievements.map((a) => a.code)).toEqual(['first_win', 'messages_100']);
    expect(profile.achievements[1].unlockedAt.toISOString()).toBe('2026-03-01T10:00:00.123Z');
    expect(profile.season).toEqual(await standings.placeOf(survivor));
    expect(profile.season?.place).toBe(2);
  });

  it('does not count the season place when it is not asked for', async () => {
    const { value: profile, sql } = await statementsOf(() =>
      profiles.get(survivor, { season: false }),
    );
    expect(sql).toHaveLength(1);
    expect(sql[0]).not.toMatch(/season_scores/);
    expect(profile.season).toBeNull();
    expect(profile.xp).toBe(27);
  });

  it('answers a player with no XP and no achievements', async () => {
    const fresh = await accounts.create();
    const profile = await profiles.get(fresh);
    expect(profile).toMatchObject({ accountId: fresh, xp: 0, coins: 0, achievements: [] });
    expect(profile.season).toBeNull();
  });

  it('reads the same profile by a platform identity, in one statement; null without one', async () => {
    await db.query(
      `INSERT INTO identities (account_id, platform, external_id, created_at, updated_at)
       VALUES ($1, 'telegram', '770001', now(), now())`,
      [survivor],
    );
    const { value: byIdentity, sql } = await statementsOf(() =>
      profiles.getByIdentity('telegram', '770001'),
    );
    expect(sql).toHaveLength(1);
    expect(byIdentity).toEqual(await profiles.get(survivor));
    expect(byIdentity?.season?.place).toBe(2);
    expect(await profiles.getByIdentity('telegram', '770001', { season: false })).toEqual({
      ...(await profiles.get(survivor, { season: false })),
    });
    expect(await profiles.getByIdentity('discord', '770001')).toBeNull();
    expect(await profiles.getByIdentity('telegram', '770002')).toBeNull();
  });

  it('refuses an unknown account and a merge chain that does not end', async () => {
    await expect(profiles.get('999999999')).rejects.toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
    await expect(profiles.get('not-an-id')).rejects.toBeInstanceOf(EconomyError);
    // A cycle: a data error, never followed forever.
    const [a, b] = [await accounts.create(), await accounts.create()];
    await db.query(`UPDATE accounts SET merged_into = $2 WHERE id = $1`, [a, b]);
    await db.query(`UPDATE accounts SET merged_into = $2 WHERE id = $1`, [b, a]);
    await expect(profiles.get(a)).rejects.toThrow(/longer than/);
  });
});
