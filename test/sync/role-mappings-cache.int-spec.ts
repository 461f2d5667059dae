/**
 * The role mappings, cached per process: what the cache derives equals what the mapping SQL
 * (`RoleMappingsRepository.targets`) computes, a change to the mappings (by any SQL) is seen by
 * the next convergence, and a convergence spends no mapping SQL and no write when nothing changes.
 */
import { DataSource } from 'typeorm';
import {
  RoleConvergenceService,
  RoleMappingsCache,
  RoleMappingsRepository,
  rolesEarned,
} from '@ttfd/sync';
import {
  award,
  discordPlayer,
  mapRoles,
  ROLE,
  settledAccount,
  startSyncWorld,
  SyncWorld,
} from './sync-harness';

/** A small deterministic generator (a failing round can be replayed from its seed). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/**
 * The statements on accounts, achievements, mappings and applied roles sent through the app's
 * DataSource while `work` runs (the relay and the gauges keep querying `sync_events` meanwhile).
 */
async function statementsOf(db: DataSource, work: () => Promise<unknown>): Promise<string[]> {
  const sql: string[] = [];
  const original = db.query.bind(db);
  const spy = jest.spyOn(db, 'query').mockImplementation((query: string, ...rest: unknown[]) => {
    if (/accounts|achievement|role_mappings|retired_role_ids|discord_member_roles/.test(query)) {
      sql.push(query);
    }
    return (original as (q: string, ...r: unknown[]) => Promise<unknown>)(query, ...rest);
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return sql;
}

describe('role mappings cache', () => {
  let world: SyncWorld;
  let cache: RoleMappingsCache;

  beforeAll(async () => {
    world = await startSyncWorld();
    cache = world.app.app.get(RoleMappingsCache);
  });

  afterAll(async () => {
    await mapRoles(world.db);
    await world?.app.close();
  });

  it('derives what the mapping SQL computes, on random mappings and accounts', async () => {
    const codes: string[] = (
      await world.db.query(`SELECT code FROM achievements ORDER BY code`)
    ).map((row: { code: string }) => row.code);
    const accountIds: string[] = (
      await world.db.query(
        `INSERT INTO accounts (rank_id) SELECT 1 + (n % 20) FROM generate_series(1, 40) AS n
         RETURNING id::text AS id`,
      )
    ).map((row: { id: string }) => row.id);
    const repository = world.app.app.get(RoleMappingsRepository);

    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const next = random(seed);
      const role = (base: bigint) => String(base + BigInt(Math.floor(next() * 1_000_000)));
      // Random mappings: some ranks and achievements unmapped, some roles retired (a few also
      // mapped again), and an achievement mapped to a rank's role (only the admin API refuses
      // that; the SQL and the cache must still agree on it).
      await world.db.query(`UPDATE rank_role_mappings SET discord_role_id = NULL`);
      await world.db.query(`UPDATE achievement_role_mappings SET discord_role_id = NULL`);
      await world.db.query(`DELETE FROM retired_role_ids`);
      const rankRoles = new Map<number, string>();
      for (let rank = 1; rank <= 20; rank++) {
        if (next() < 0.7)
          rankRoles.set(rank, `1${String(rank).padStart(2, '0')}${role(10n ** 15n)}`);
      }
      for (const [rank, roleId] of rankRoles) {
        await world.db.query(
          `UPDATE rank_role_mappings SET discord_role_id = $2 WHERE rank_id = $1`,
          [rank, roleId],
        );
      }
      const rankRoleList = [...rankRoles.values()];
      for (const [i, code] of codes.entries()) {
        const pick = next();
        if (pick < 0.3) continue;
        const roleId =
          pick < 0.4 && rankRoleList.length > 0
            ? rankRoleList[i % rankRoleList.length]
            : `2${String(i).padStart(3, '0')}${role(10n ** 15n)}`;
        await world.db
          .query(
            `UPDATE achievement_role_mappings SET discord_role_id = $2 WHERE achievement_code = $1`,
            [code, roleId],
          )
          .catch(() => undefined); // the same rank role picked twice: the unique index refuses
      }
      const retired = [role(9n * 10n ** 17n), role(9n * 10n ** 17n), rankRoleList[0]].filter(
        (r): r is string => !!r,
      );
      await world.db.query(
        `INSERT INTO retired_role_ids (discord_role_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`,
        [retired],
      );
      // Random ranks and achievements.
      await world.db.query(
        `DELETE FROM account_achievements WHERE account_id = ANY($1::bigint[])`,
        [accountIds],
      );
      for (const accountId of accountIds) {
        await world.db.query(`UPDATE accounts SET rank_id = $2 WHERE id = $1`, [
          accountId,
          1 + Math.floor(next() * 20),
        ]);
        const held = codes.filter(() => next() < 0.3);
        await world.db.query(
          `INSERT INTO account_achievements (account_id, achievement_code)
           SELECT $1, unnest($2::text[])`,
          [accountId, held],
        );
      }

      const expected = await repository.targets(accountIds);
      const snapshot = await cache.snapshot();
      expect([...snapshot.managed].sort()).toEqual([...new Set(expected.managed)].sort());
      const states: { id: string; rank_id: number; codes: string[] }[] = await world.db.query(
        `SELECT a.id::text AS id, a.rank_id,
                ARRAY(SELECT achievement_code FROM account_achievements WHERE account_id = a.id)
                  AS codes
           FROM accounts a WHERE a.id = ANY($1::bigint[])`,
        [accountIds],
      );
      for (const state of states) {
        expect({
          seed,
          account: state.id,
          roles: rolesEarned(snapshot, state.rank_id, state.codes),
        }).toEqual({ seed, account: state.id, roles: expected.wanted.get(state.id) });
      }
    }
  });

  it('reloads only when asked for a newer version than it holds', async () => {
    await mapRoles(world.db);
    const held = await cache.snapshot();
    expect(held.rankRoles.get(4)).toBe(ROLE.rank4);

    // A version already held: answered from memory, no statement at all.
    expect(await statementsOf(world.db, () => cache.snapshot(held.version))).toEqual([]);

    await world.db.query(`UPDATE rank_role_mappings SET discord_role_id = NULL WHERE rank_id = 4`);
    const [{ version }] = await world.db.query(
      `SELECT version::text AS version FROM role_mappings_state`,
    );
    expect(BigInt(version)).toBeGreaterThan(held.version);
    // Convergences asking for the new version at once share one reload.
    let answers: Awaited<ReturnType<RoleMappingsCache['snapshot']>>[] = [];
    const reload = await statementsOf(world.db, async () => {
      answers = await Promise.all([1, 2, 3].map(() => cache.snapshot(version)));
    });
    expect(reload).toHaveLength(1);
    for (const after of answers) {
      expect(after.version).toBe(BigInt(version));
      expect(after.rankRoles.has(4)).toBe(false);
    }
    await mapRoles(world.db);
  });

  it('converges without mapping SQL, and a member with nothing to change costs no write', async () => {
    await mapRoles(world.db);
    const player = await discordPlayer(world);
    await award(world, player.accountId, 4_750); // rank 4
    await settledAccount(world, player.accountId);
    expect(world.gateway.rolesOf(player.userId)).toEqual([ROLE.rank4]);
    const storedAt = async () =>
      (
        await world.db.query(
          `SELECT role_ids, updated_at FROM discord_member_roles WHERE discord_user_id = $1`,
          [player.userId],
        )
      )[0];
    const before = await storedAt();
    expect(before.role_ids).toEqual([ROLE.rank4]);

    const convergence = world.app.app.get(RoleConvergenceService);
    const mark = world.gateway.calls.length;
    const sql = await statementsOf(world.db, async () => {
      const result = await convergence.converge(player.userId, player.accountId);
      expect(result).toMatchObject({ status: 'ok', added: [], removed: [] });
    });
    expect(world.gateway.calls.slice(mark)).toEqual([]);
    // The account's earned state with the mapping version, then the stored roles: read, kept.
    expect(sql).toHaveLength(2);
    expect(sql.join('\n')).not.toMatch(/role_mappings\b(?!_state)|retired_role_ids/);
    expect(await storedAt()).toEqual(before);

    // Given the earned state, the convergence reads no account: the mapping version (when the
    // caller did not read it with the state), the stored roles taken with the plan's check, and
    // the roles stored after the calls.
    const given = await statementsOf(world.db, () =>
      convergence.converge(player.userId, player.accountId, {
        earned: { rankId: 5, achievementCodes: [] },
      }),
    );
    expect(world.gateway.rolesOf(player.userId)).toEqual([ROLE.rank5]);
    expect(given).toHaveLength(3);
    expect(given.join('\n')).not.toMatch(/\baccounts\b|account_achievements|role_mappings\b/);

    const { version } = await cache.snapshot();
    const withVersion = await statementsOf(world.db, () =>
      convergence.converge(player.userId, player.accountId, {
        earned: { rankId: 4, achievementCodes: [], mappingVersion: String(version) },
      }),
    );
    expect(world.gateway.rolesOf(player.userId)).toEqual([ROLE.rank4]);
    expect(withVersion).toHaveLength(2);
  });
});

describe('role mappings cache on PGlite (one connection)', () => {
  let world: SyncWorld;

  beforeAll(async () => {
    world = await startSyncWorld({ database: 'pglite' });
  });

  afterAll(async () => {
    await world?.app.close();
  });

  it('converges a rank-up through the cache and follows a mapping change', async () => {
    const player = await discordPlayer(world);
    await award(world, player.accountId, 4_750); // rank 4
    await settledAccount(world, player.accountId);
    expect(world.gateway.rolesOf(player.userId)).toEqual([ROLE.rank4]);

    const moved = '100000000000000044';
    await world.db.query(`UPDATE rank_role_mappings SET discord_role_id = $1 WHERE rank_id = 4`, [
      moved,
    ]);
    await world.db.query(`INSERT INTO retired_role_ids (discord_role_id) VALUES ($1)`, [
      ROLE.rank4,
    ]);
    const result = await world.app.app
      .get(RoleConvergenceService)
      .converge(player.userId, player.accountId);
    expect(result).toMatchObject({ status: 'ok', added: [moved], removed: [ROLE.rank4] });
    expect(world.gateway.rolesOf(player.userId)).toEqual([moved]);
  });
});
