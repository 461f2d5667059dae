import { collect, spawnTs } from '../support/spawn-ts';
import { TEST_REDIS_URL } from '../support/test-env';

/** A wrong value stops the app before it does anything, naming the variable and the rule. */
describe('a bad configuration stops the app with a message naming the variable', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['a bad PORT', { PORT: '70000' }, /PORT must be at most 65535/],
    ['a non-numeric PORT', { PORT: 'eighty' }, /PORT must be a whole number/],
    [
      'a missing Telegram token with the telegram role on',
      { APP_ROLES: 'api,telegram' },
      /TELEGRAM_BOT_TOKEN is required when APP_ROLES includes telegram/,
    ],
    [
      'an unknown APP_ROLES entry',
      { APP_ROLES: 'api,billing' },
      /APP_ROLES has unknown role "billing"/,
    ],
    [
      'production without ADMIN_TOKEN',
      { NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40) },
      /ADMIN_TOKEN is required when NODE_ENV is production/,
    ],
    [
      'production without SESSION_SECRET',
      { NODE_ENV: 'production', ADMIN_TOKEN: 'a'.repeat(40) },
      /SESSION_SECRET is required when NODE_ENV is production/,
    ],
    [
      'a Redis that does not answer',
      { REDIS_URL: 'redis://127.0.0.1:1' },
      /Redis did not answer at REDIS_URL .*redis-server/s,
    ],
  ];

  it.each(cases)('%s', async (_name, env, message) => {
    const { done } = collect(
      spawnTs('apps/server/src/main.ts', {
        REDIS_URL: TEST_REDIS_URL,
        DATA_DIR: ':memory:',
        ...env,
      }),
    );
    const result = await done;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).not.toMatch(/listening/);
  });
});
