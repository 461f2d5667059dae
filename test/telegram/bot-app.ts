import { TestingModuleBuilder } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { ManualClock } from '@ttfd/clock';
import { FakeTelegram } from '../fakes/telegram';
import { LogCapture, startTestApp, TestApp } from '../support/test-app';

export interface BotAppOptions {
  env?: Record<string, string | undefined>;
  clock?: ManualClock;
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  logs?: LogCapture;
}

/**
 * The whole app with the telegram role on, its real telegraf talking to the fake Bot API.
 * Tests raise the per-chat send rate (a game is many quick replies) and the per-user command
 * limit, and shorten the long poll; the rate-limit and flood specs set their own values.
 */
export async function startBotApp(
  fake: FakeTelegram,
  options: BotAppOptions = {},
): Promise<TestApp> {
  return startTestApp({
    clock: options.clock,
    override: options.override,
    logs: options.logs,
    env: {
      APP_ROLES: 'api,worker,scheduler,telegram',
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_POLL_TIMEOUT_SECONDS: '5',
      TELEGRAM_SEND_PER_CHAT_PER_SECOND: '50',
      // A scripted player is faster than a person: the flood specs set the real limit.
      TELEGRAM_FLOOD_LIMIT: '1000',
      ...options.env,
    },
  });
}

export async function query<T>(app: TestApp, sql: string, params: unknown[] = []): Promise<T[]> {
  return app.app.get(DataSource).query(sql, params);
}

/** The account behind a Telegram user, or undefined. */
export async function accountOf(app: TestApp, telegramUserId: number): Promise<string | undefined> {
  const rows = await query<{ account_id: string }>(
    app,
    `SELECT account_id FROM identities WHERE platform = 'telegram' AND external_id = $1`,
    [String(telegramUserId)],
  );
  return rows[0] ? String(rows[0].account_id) : undefined;
}
