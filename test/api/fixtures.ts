import { DataSource } from 'typeorm';
import { TestApp } from '../support/test-app';
import { LedgerService } from '@ttfd/economy';
import { IdentityService } from '@ttfd/linking';
import { signTelegramLogin } from '@ttfd/api';

export const TEST_BOT_TOKEN = '123456:TEST-bot-token_for-api';

/** A player known on one platform, with XP and coins earned through the ledger. */
export async function newPlayer(
  t: TestApp,
  platform: 'telegram' | 'discord',
  externalId: string,
  earn: { xp?: number; coins?: number } = {},
): Promise<string> {
  const { accountId } = await t.app.get(IdentityService).resolve(platform, externalId, {
    username: `user${externalId}`,
  });
  if (earn.xp || earn.coins) {
    await t.app.get(LedgerService).award({
      accountId,
      xp: earn.xp ?? 0,
      coins: earn.coins ?? 0,
      reason: 'game_guess',
      source: platform,
      idempotencyKey: `fixture:${platform}:${externalId}:${earn.xp ?? 0}:${earn.coins ?? 0}`,
    });
  }
  return accountId;
}

/** Login Widget data for a Telegram user, signed with the test bot's token at `nowMs`. */
export function widgetData(telegramId: string, nowMs: number, token = TEST_BOT_TOKEN) {
  return signTelegramLogin(
    {
      id: telegramId,
      first_name: 'Player',
      username: `tg${telegramId}`,
      auth_date: Math.floor(nowMs / 1000),
    },
    token,
  );
}

export function dataSourceOf(t: TestApp): DataSource {
  return t.app.get(DataSource);
}
