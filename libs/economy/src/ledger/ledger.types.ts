import { ChangeSource } from '@ttfd/sync';
import { LedgerReason } from './ledger-reason';

export interface AwardInput {
  accountId: string;
  /** XP to add (award: >= 0; adjust: any sign). */
  xp?: number;
  /** Coins to add (award: >= 0; adjust: any sign; spend: the amount to take, > 0). */
  coins?: number;
  reason: LedgerReason;
  source: ChangeSource;
  /** Names the business event (`daily:{account}:{date}`); a repeat changes nothing. */
  idempotencyKey: string;
  entityId?: string;
  /**
   * What the caller asked for, when its key comes from outside (an admin's Idempotency-Key):
   * stored with the entry; the same key with another fingerprint is IDEMPOTENCY_KEY_REUSED.
   */
  requestFingerprint?: string;
  /**
   * Why the amount is what it is (the XP rule, multiplier or event that applied), stored on the
   * ledger row for admins and the player page. Small: at most 2 KB as JSON.
   */
  metadata?: Record<string, unknown>;
}

export interface AwardResult {
  entryId: string;
  /** True when the key was already used: nothing changed, the first entry is returned. */
  duplicate: boolean;
  /** The account that was credited (the survivor when the given one was merged). */
  accountId: string;
  xp: number;
  coins: number;
  rankId: number;
  previousRankId: number;
  /** Achievement codes unlocked by this award. */
  unlocked: string[];
}
