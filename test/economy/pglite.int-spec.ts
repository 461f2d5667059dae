import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { ManualClock } from '@ttfd/clock';
import { EmbeddedPostgres, runMigrations } from '@ttfd/database';
import {
  AccountsService,
  economyTestingModule,
  LedgerService,
  ledgerDrift,
  SeasonsService,
} from '@ttfd/economy';
import { DailyService, GamesModule, GuessService } from '@ttfd/games';

/**
 * The embedded default has ONE connection: any query outside the open transaction's manager
 * would wait forever. This runs the economy and games on it, concurrently.
 */
describe('economy and games on embedded PGlite (pool of one)', () => {
  let embedded: EmbeddedPostgres;
  let app: INestApplication;
  const clock = new ManualClock('2026-05-10T10:00:00Z');

  beforeAll(async () => {
    embedded = await EmbeddedPostgres.start(null);
    const moduleRef = await Test.createTestingModule({
      imports: [
        economyTestingModule({
          databaseUrl: embedded.url,
          poolSize: 1,
          clock,
          imports: [GamesModule],
        }),
      ],
    }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
    await runMigrations(app.get(DataSource), 1);
  });

  afterAll(async () => {
    await app?.close();
    await embedded?.stop();
  });

  it('awards, games, daily and a season close without deadlock, totals equal ledger sums', async () => {
    const accounts = app.get(AccountsService);
    const ledger = app.get(LedgerService);
    const seasons = app.get(SeasonsService);
    const ids = await Promise.all(Array.from({ length: 3 }, () => accounts.create()));
    await seasons.ensureOpen();
    const results = await Promise.all([
      ...Array.from({ length: 20 }, () =>
        ledger.award({
          accountId: ids[0],
          xp: 5,
          reason: 'discord_message',
          source: 'discord',
          idempotencyKey: 'same',
        }),
      ),
      ...Array.from({ length: 60 }, (_, i) =>
        ledger.award({
          accountId: ids[i % 3],
          xp: 10 + i,
          coins: 1,
          reason: 'discord_voice',
          source: 'discord',
          idempotencyKey: `v:${i}`,
        }),
      ),
    ]);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(61);

    const daily = app.get(DailyService);
    const claims = await Promise.allSettled([
      daily.claim(ids[1], 'telegram'),
      daily.claim(ids[1], 'telegram'),
    ]);
    expect(claims.filter((c) => c.status === 'fulfilled')).toHaveLength(1);

    const guess = app.get(GuessService);
    const game = await guess.start(ids[2]);
    const dataSource = app.get(DataSource);
    const [{ secret }] = await dataSource.query(
      `SELECT (state->>'secret')::int AS secret FROM game_sessions WHERE id = $1`,
      [game.sessionId],
    );
    expect((await guess.guess(ids[2], game.sessionId, secret, 'telegram')).outcome).toBe('won');

    clock.set('2026-06-01T00:00:00Z');
    const { closed } = await seasons.rollOver();
    expect(closed[0].prizes).toHaveLength(3);
    expect(await ledgerDrift(dataSource)).toEqual([]);
  });
});
