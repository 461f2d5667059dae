import { Inject, Injectable, Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { REDIS } from '@ttfd/database';
import { TELEGRAM_SETTINGS, TelegramSettings } from '../telegram-settings';

/**
 * How long a claim on an update lasts while it is being handled. If the claim cannot be released
 * (Redis died while the update was handled), it runs out by itself and the redelivery is handled
 * then; meanwhile deliveries of that update are refused as "busy", never dropped.
 */
const CLAIM_SECONDS = 60;

export type Claim = 'claimed' | 'done' | 'busy';

const KEY = (updateId: number) => `tg:update:${updateId}`;

/**
 * `processing` while handled, `done` once its effects are committed. Anything but `processing`
 * counts as done: keys written before the claim existed hold '1'.
 */
const CLAIM = `
local taken = redis.call('SET', KEYS[1], 'processing', 'NX', 'EX', ARGV[1])
if taken then return 'claimed' end
local state = redis.call('GET', KEYS[1])
if state == 'processing' then return 'busy' end
if state then return 'done' end
return 'busy'`;

/**
 * The short-lived dedupe of Telegram's `update_id` (Telegram reuses ids after about a week
 * without updates, so this is not forever). Errors of `claim` reach the caller: without the
 * dedupe an update is refused, not handled blind; Telegram delivers it again later.
 */
@Injectable()
export class UpdateDedupe {
  private readonly logger = new Logger(UpdateDedupe.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(TELEGRAM_SETTINGS) private readonly settings: TelegramSettings,
  ) {}

  async claim(updateId: number): Promise<Claim> {
    return (await this.redis.eval(CLAIM, 1, KEY(updateId), CLAIM_SECONDS)) as Claim;
  }

  /** Effects committed: later deliveries are dropped. Best effort (the ack follows anyway). */
  async finish(updateId: number): Promise<void> {
    try {
      await this.redis.set(KEY(updateId), 'done', 'EX', this.settings.updateDedupeSeconds);
    } catch (error) {
      this.logger.warn(
        `Update ${updateId} handled, but not marked as done (${(error as Error).message})`,
      );
    }
  }

  /** Handling failed: the next delivery must be handled. If Redis is down, the claim expires. */
  async release(updateId: number): Promise<void> {
    await this.redis.del(KEY(updateId)).catch(() => undefined);
  }
}
