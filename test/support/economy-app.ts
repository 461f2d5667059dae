import { INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import {
  AwardResult,
  economyTestingModule,
  EconomyTestingOptions,
  LedgerService,
} from '@ttfd/economy';
import { createTestDatabase, TestDatabase } from './test-database';

/** A provider's token: its class (abstract ones too), or a string or symbol. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Token = Type<unknown> | Function | string | symbol;

export interface EconomyAppOptions extends Omit<EconomyTestingOptions, 'databaseUrl'> {
  /** Providers replaced by a value (a seeded random source, say). */
  overrides?: [token: Token, value: unknown][];
}

/** A started economy app; its members are set once the file's first `beforeAll` has run. */
export interface EconomyApp {
  readonly app: INestApplication;
  readonly db: DataSource;
  get<T>(token: Type<T> | string | symbol): T;
  /** Awards `xp` for a Discord message under a key of its own: a player earning, nothing more. */
  earn(accountId: string, xp: number): Promise<AwardResult>;
}

/**
 * The economy (plus the given modules) on a database of its own, started before the file's tests
 * and dropped after them: the setup every integration spec of the core would otherwise repeat.
 * Call it at the top of a `describe`; read providers in a `beforeAll` declared after it.
 */
export function useEconomyApp(options: EconomyAppOptions = {}): EconomyApp {
  let database: TestDatabase | undefined;
  let app: INestApplication | undefined;
  let earned = 0;
  const started = (): INestApplication => {
    if (!app) throw new Error('useEconomyApp: read providers in a beforeAll declared after it');
    return app;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const { overrides = [], ...testing } = options;
    let builder = Test.createTestingModule({
      imports: [economyTestingModule({ ...testing, databaseUrl: database.url })],
    });
    for (const [token, value] of overrides) {
      builder = builder.overrideProvider(token).useValue(value);
    }
    app = (await builder.compile()).createNestApplication();
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  return {
    get app() {
      return started();
    },
    get db() {
      return started().get(DataSource);
    },
    get: <T>(token: Type<T> | string | symbol): T => started().get<T>(token),
    earn: (accountId: string, xp: number) =>
      started()
        .get(LedgerService)
        .award({
          accountId,
          xp,
          reason: 'discord_message',
          source: 'discord',
          idempotencyKey: `t:earn:${++earned}`,
        }),
  };
}
