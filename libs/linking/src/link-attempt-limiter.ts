import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { LinkingError } from './linking.error';
import { Platform } from './platform';

/**
 * Wrong link codes counted per redeemer (`link_attempts`): past LINK_MAX_WRONG_ATTEMPTS inside
 * LINK_ATTEMPT_WINDOW_SECONDS every try is refused, a right code included, until the oldest
 * counted try leaves the window. Runs inside the redeeming transaction, which holds the
 * redeemer's advisory lock, so parallel guesses cannot overrun the limit.
 */
@Injectable()
export class LinkAttemptLimiter {
  constructor(
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** Throws LINK_TOO_MANY_ATTEMPTS, with the seconds until the next try, past the limit. */
  async assertAttemptsLeft(
    manager: EntityManager,
    platform: Platform,
    externalId: string,
  ): Promise<void> {
    const max = this.config.env.LINK_MAX_WRONG_ATTEMPTS;
    const windowMs = this.config.env.LINK_ATTEMPT_WINDOW_SECONDS * 1000;
    const now = this.clock.now();
    // The max-th most recent wrong try inside the window: once it leaves the window, the count
    // drops below the limit again.
    const rows: { attempted_at: Date }[] = await manager.query(
      `SELECT attempted_at FROM link_attempts
        WHERE platform = $1 AND external_id = $2 AND NOT succeeded AND attempted_at > $3
        ORDER BY attempted_at DESC OFFSET $4 LIMIT 1`,
      [platform, externalId, new Date(now.getTime() - windowMs), max - 1],
    );
    if (rows.length === 0) return;
    const freeAt = new Date(rows[0].attempted_at).getTime() + windowMs;
    const retryAfterSeconds = Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000));
    throw new LinkingError(
      'LINK_TOO_MANY_ATTEMPTS',
      `Too many wrong codes; try again in ${retryAfterSeconds} s`,
      { retryAfterSeconds },
    );
  }

  async record(
    manager: EntityManager,
    platform: Platform,
    externalId: string,
    succeeded: boolean,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO link_attempts (platform, external_id, succeeded, attempted_at)
       VALUES ($1, $2, $3, $4)`,
      [platform, externalId, succeeded, this.clock.now()],
    );
  }
}
