import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inTransaction } from '@ttfd/database';
import { AwardResult, LedgerService, XpRuleMetadata, XpRules } from '@ttfd/economy';
import { ChangeSource } from '@ttfd/sync';
import { GamesError } from '../games.error';
import { RandomSource } from '../random/random-source';
import { GameSessionsService } from '../sessions/game-sessions.service';
import {
  applyGuess,
  GUESS_MAX,
  GUESS_MAX_TRIES,
  GUESS_MIN,
  GUESS_REWARDS,
  GuessOutcome,
  GuessState,
  isValidGuess,
} from './guess.rules';

export interface GuessGameView {
  sessionId: string;
  resumed: boolean;
  min: number;
  max: number;
  guesses: number[];
  triesUsed: number;
  triesLeft: number;
  /** XP for a win with one try and with the last try, under the rule pinned at the start. */
  rewardXp: { best: number; worst: number };
  /** The double-XP event that multiplies this game's XP, if any. */
  xpEvent: XpRuleMetadata['event'] | null;
}

export interface GuessMoveResult {
  sessionId: string;
  outcome: GuessOutcome;
  /** "higher": the secret is above the guess; on a loss, the last hint. */
  hint: 'higher' | 'lower' | null;
  guess: number;
  triesUsed: number;
  triesLeft: number;
  /** XP paid (0 unless won). */
  rewardXp: number;
  /** Revealed once the game is over. */
  secret: number | null;
  award: AwardResult | null;
}

@Injectable()
export class GuessService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: GameSessionsService,
    private readonly ledger: LedgerService,
    private readonly random: RandomSource,
    private readonly rules: XpRules,
  ) {}

  /** Starts a game, or resumes the running one. */
  async start(accountId: string): Promise<GuessGameView> {
    const { session, resumed } = await this.sessions.startOrResume<GuessState>(
      accountId,
      'guess',
      () => ({
        secret: this.random.int(GUESS_MIN, GUESS_MAX),
        guesses: [],
        xpRule: this.rules.pin('games'),
      }),
    );
    const triesUsed = session.state.guesses.length;
    const pinned = session.state.xpRule;
    return {
      sessionId: session.id,
      resumed,
      min: GUESS_MIN,
      max: GUESS_MAX,
      guesses: session.state.guesses,
      triesUsed,
      triesLeft: GUESS_MAX_TRIES - triesUsed,
      rewardXp: {
        best: this.rules.applyPinned(pinned, 'games', GUESS_REWARDS[0]).xp,
        worst: this.rules.applyPinned(pinned, 'games', GUESS_REWARDS[GUESS_REWARDS.length - 1]).xp,
      },
      xpEvent: pinned?.event ?? null,
    };
  }

  /**
   * One guess. An invalid guess (not a whole number in 1-100) is refused with INVALID_GUESS and
   * uses no try. A win is marked and paid (`game:{sessionId}`, reason game_guess) in one
   * transaction.
   */
  async guess(
    accountId: string,
    sessionId: string,
    value: number,
    source: ChangeSource,
  ): Promise<GuessMoveResult> {
    if (!isValidGuess(value)) {
      throw new GamesError('INVALID_GUESS', `A guess is a whole number from 1 to 100`, {
        min: GUESS_MIN,
        max: GUESS_MAX,
      });
    }
    return inTransaction(this.dataSource, undefined, async (tx) => {
      const session = await this.sessions.lockActive<GuessState>(tx, accountId, sessionId, 'guess');
      const step = applyGuess(session.state, value);
      let award: AwardResult | null = null;
      const amount = this.rules.applyPinned(session.state.xpRule, 'games', step.rewardXp);
      if (step.outcome === 'won' || step.outcome === 'lost') {
        await this.sessions.finish(tx, session.id, step.outcome, step.state);
        if (step.outcome === 'won' && amount.xp > 0) {
          award = await this.ledger.award(
            {
              accountId: session.accountId,
              xp: amount.xp,
              metadata: amount.metadata,
              reason: 'game_guess',
              source,
              idempotencyKey: `game:${session.id}`,
              entityId: session.id,
            },
            tx,
          );
        }
      } else {
        await this.sessions.save(tx, session.id, step.state);
      }
      const over = step.outcome === 'won' || step.outcome === 'lost';
      return {
        sessionId: session.id,
        outcome: step.outcome,
        hint: step.hint,
        guess: value,
        triesUsed: step.triesUsed,
        triesLeft: step.triesLeft,
        rewardXp: award && !award.duplicate ? amount.xp : 0,
        secret: over ? step.state.secret : null,
        award,
      };
    });
  }
}
