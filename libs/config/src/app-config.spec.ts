import { ConfigValidationError, loadConfig } from './app-config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.database.url).toBeUndefined();
    expect(config.database.dataDir).toBe('./data');
    expect(config.redis).toEqual({ url: 'redis://127.0.0.1:6379', prefix: 'ttfd' });
    expect(config.communityTimeZone).toBe('Europe/Moscow');
    expect(config.adminTokenGenerated).toBe(true);
    expect(config.adminToken.length).toBeGreaterThanOrEqual(32);
    expect(config.telegram).toBeUndefined();
    // Unset APP_ROLES: every role this configuration can run; bots without tokens are off.
    expect([...config.roles]).toEqual(['api', 'worker', 'scheduler']);
  });

  it('turns a bot on when its token is set and APP_ROLES is unset', () => {
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: '123:abc',
      DISCORD_BOT_TOKEN: 'x',
      DISCORD_GUILD_ID: '123456789012345678',
    });
    expect(config.hasRole('telegram')).toBe(true);
    expect(config.hasRole('discord')).toBe(true);
  });

  it('names each wrong variable and its rule, all at once', () => {
    expect(
      problemsOf({ PORT: '-1', COMMUNITY_TIMEZONE: 'Mars/Olympus', REDIS_URL: 'http://x' }),
    ).toEqual([
      'PORT must be at least 0',
      'REDIS_URL must be a URL starting with redis:// or rediss://',
      'COMMUNITY_TIMEZONE must be an IANA time zone such as Europe/Moscow',
    ]);
  });

  it('requires a bot token only when APP_ROLES names that bot', () => {
    expect(problemsOf({ APP_ROLES: 'api,telegram' })).toEqual([
      'TELEGRAM_BOT_TOKEN is required when APP_ROLES includes telegram',
    ]);
    expect(problemsOf({ APP_ROLES: 'api' })).toEqual([]);
    expect(problemsOf({ APP_ROLES: 'discord', DISCORD_BOT_TOKEN: 't' })).toEqual([
      'DISCORD_GUILD_ID is required when DISCORD_BOT_TOKEN is set (the community guild)',
    ]);
  });

  it("refuses Discord request shares above Discord's global limit", () => {
    expect(problemsOf({ DISCORD_ROLE_REQUESTS_PER_SECOND: '40' })).toEqual([
      "DISCORD_DM_REQUESTS_PER_SECOND plus DISCORD_ROLE_REQUESTS_PER_SECOND is 56, above Discord's global limit of 50 requests/s: lower one of them",
    ]);
    expect(
      problemsOf({ DISCORD_ROLE_REQUESTS_PER_SECOND: '40', DISCORD_DM_REQUESTS_PER_SECOND: '10' }),
    ).toEqual([]);
  });

  it('refuses unknown roles and an empty role list', () => {
    expect(problemsOf({ APP_ROLES: 'api,billing' })[0]).toMatch(
      /^APP_ROLES has unknown role "billing"/,
    );
    expect(problemsOf({ APP_ROLES: ' , ' })[0]).toMatch(/^APP_ROLES must name at least one/);
  });

  it('requires a webhook secret with a webhook URL, and checks list items', () => {
    expect(problemsOf({ TELEGRAM_WEBHOOK_URL: 'https://bot.example.org' })).toEqual([
      'TELEGRAM_WEBHOOK_SECRET is required when TELEGRAM_WEBHOOK_URL is set (every webhook request is checked)',
    ]);
    expect(problemsOf({ TELEGRAM_ADMIN_IDS: '12,abc' })).toEqual([
      'TELEGRAM_ADMIN_IDS must be a comma-separated list of numeric Telegram user ids',
    ]);
  });

  it('refuses season prizes above the system award bound, naming both variables', () => {
    // Before: accepted, and then every roll-over failed and the season never closed.
    expect(problemsOf({ SEASON_PRIZES: '500,200000', AWARD_MAX_DELTA: '100000' })).toEqual([
      'SEASON_PRIZES pays 200000 coins to place 2, above AWARD_MAX_DELTA (100000), the bound of system awards while SYSTEM_AWARD_MAX_DELTA is unset: lower the prize or raise SYSTEM_AWARD_MAX_DELTA',
    ]);
    // System awards have their own bound: a big prize with small player awards is fine.
    const config = loadConfig({
      SEASON_PRIZES: '500000',
      AWARD_MAX_DELTA: '1000',
      SYSTEM_AWARD_MAX_DELTA: '500000',
    });
    expect(config.systemAwardMaxDelta).toBe(500_000);
    expect(loadConfig({}).systemAwardMaxDelta).toBe(100_000);
    expect(problemsOf({ SEASON_PRIZES: '700', SYSTEM_AWARD_MAX_DELTA: '600' })).toEqual([
      'SEASON_PRIZES pays 700 coins to place 1, above SYSTEM_AWARD_MAX_DELTA (600), the bound of system awards: lower the prize or raise SYSTEM_AWARD_MAX_DELTA',
    ]);
  });

  it('requires ADMIN_TOKEN and SESSION_SECRET in production', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^ADMIN_TOKEN is required when NODE_ENV is production/),
      expect.stringMatching(/^SESSION_SECRET is required when NODE_ENV is production/),
    ]);
    expect(
      problemsOf({
        NODE_ENV: 'production',
        ADMIN_TOKEN: 'a'.repeat(32),
        SESSION_SECRET: 's'.repeat(32),
      }),
    ).toEqual([]);
  });
});
