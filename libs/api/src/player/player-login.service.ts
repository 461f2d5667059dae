import { Injectable } from '@nestjs/common';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { IdentityService } from '@ttfd/linking';
import { signSession } from '../auth/session-token';
import { verifyTelegramLogin } from '../auth/telegram-login';
import { ApiError } from '../errors/api.error';
import { SessionModel } from './session.model';
import { TelegramLoginInput } from './telegram-login.input';

/**
 * Telegram Login Widget data -> a signed player session. The player's account is the one of
 * their Telegram identity (made on first login, as the bot would on /start).
 */
@Injectable()
export class PlayerLoginService {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly identities: IdentityService,
  ) {}

  async login(input: TelegramLoginInput): Promise<SessionModel> {
    const telegram = this.config.telegram;
    if (!telegram) {
      throw new ApiError(
        'TELEGRAM_LOGIN_UNAVAILABLE',
        'Player login is off: it verifies Telegram Login Widget data with the bot token, and TELEGRAM_BOT_TOKEN is not set',
      );
    }
    const fields: Record<string, string | number | undefined> = { ...input };
    const user = verifyTelegramLogin(fields, telegram.token, this.clock.nowMs());
    const { accountId } = await this.identities.resolve('telegram', user.telegramId, {
      username: user.username,
      displayName: user.displayName,
    });
    const iat = Math.floor(this.clock.nowMs() / 1000);
    const exp = iat + this.config.env.SESSION_TTL_SECONDS;
    return {
      token: signSession({ tg: user.telegramId, iat, exp }, this.config.sessionSecret),
      expiresAt: new Date(exp * 1000),
      accountId,
    };
  }
}
