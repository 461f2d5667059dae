import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inTransaction } from '@ttfd/database';
import { AccountsService, LedgerService } from '@ttfd/economy';
import { VoiceSessionRepository } from './voice-session.repository';

export interface VoiceMinuteCredit {
  index: number;
  xp: number;
  /** The XP rule that made the amount (ledger_entries.metadata). */
  metadata: Record<string, unknown>;
}

export interface VoiceCredit {
  sessionId: string;
  /** The tracker crediting: only the owner of an open row may (the fence). */
  owner: string;
  channelId: string;
  /** Minutes to pay, each under `voice:{session}:{minute}` (a minute at 0 XP writes nothing). */
  minutes: VoiceMinuteCredit[];
  /** What the row stores: the earning time folded at `at`, minutes credited after this. */
  earningMs: number;
  creditedMinutes: number;
  at: Date;
  close: boolean;
}

/** `fenced`: the row was closed or taken over by another tracker; nothing was written. */
export type VoiceCreditOutcome = 'credited' | 'fenced';

/** The session moved to another account between reading and locking it (a link or unlink). */
class SessionMoved extends Error {}

/** A bound on links and unlinks moving one session while we credit it. */
const MAX_TRIES = 3;

/**
 * One voice checkpoint, in one transaction: the minutes' ledger rows and the session's new
 * checkpoint together, or neither. Lock order (docs/economy-and-games.md): the account first
 * (read from the row without a lock, since /link and /unlink move open sessions), then the
 * session row, re-checked under its lock; a session that moved meanwhile is retried from the
 * start rather than locking a second account out of order.
 */
@Injectable()
export class VoiceCreditor {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: VoiceSessionRepository,
    private readonly accounts: AccountsService,
    private readonly ledger: LedgerService,
  ) {}

  async credit(input: VoiceCredit): Promise<VoiceCreditOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.creditOnce(input);
      } catch (error) {
        if (!(error instanceof SessionMoved) || attempt >= MAX_TRIES) throw error;
      }
    }
  }

  private creditOnce(input: VoiceCredit): Promise<VoiceCreditOutcome> {
    return inTransaction(this.dataSource, undefined, async (tx) => {
      const seen = await this.repository.read(tx, input.sessionId);
      if (!this.isOurs(seen, input.owner)) return 'fenced';
      await this.accounts.lockSurvivor(seen!.accountId, tx);
      const locked = await this.repository.lock(tx, input.sessionId);
      if (!this.isOurs(locked, input.owner)) return 'fenced';
      if (locked!.accountId !== seen!.accountId) throw new SessionMoved(input.sessionId);
      for (const minute of input.minutes) {
        if (minute.xp <= 0) continue;
        await this.ledger.award(
          {
            accountId: locked!.accountId,
            xp: minute.xp,
            reason: 'discord_voice',
            source: 'discord',
            idempotencyKey: `voice:${input.sessionId}:${minute.index}`,
            entityId: input.sessionId,
            metadata: minute.metadata,
          },
          tx,
        );
      }
      const stored = await this.repository.checkpoint(tx, {
        sessionId: input.sessionId,
        owner: input.owner,
        channelId: input.channelId,
        earningMs: input.earningMs,
        creditedMinutes: input.creditedMinutes,
        at: input.at,
        close: input.close,
      });
      if (!stored) throw new Error(`voice session ${input.sessionId} changed under its lock`);
      return 'credited';
    });
  }

  private isOurs(row: { status: string; owner: string | null } | null, owner: string): boolean {
    return row !== null && row.status === 'open' && row.owner === owner;
  }
}
