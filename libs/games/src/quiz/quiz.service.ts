import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inTransaction } from '@ttfd/database';
import { AwardResult, LedgerService, XpRuleMetadata, XpRules } from '@ttfd/economy';
import { ChangeSource } from '@ttfd/sync';
import { GamesError } from '../games.error';
import { RandomSource } from '../random/random-source';
import { GameSessionsService } from '../sessions/game-sessions.service';
import { quizQuestion } from './quiz-bank';
import {
  correctPosition,
  pickQuestion,
  present,
  PresentedQuestion,
  QUIZ_RECENT_WINDOW,
  QUIZ_REWARD_XP,
  QuizState,
  shuffledOrder,
} from './quiz.rules';

export interface QuizGameView {
  sessionId: string;
  resumed: boolean;
  question: PresentedQuestion;
  /** XP for the right answer under the rule pinned at the start (shown before answering). */
  rewardXp: number;
  /** The double-XP event that multiplies it, if any. */
  xpEvent: XpRuleMetadata['event'] | null;
}

export interface QuizAnswerResult {
  sessionId: string;
  correct: boolean;
  /** The position (as shown) of the right option. */
  correctIndex: number;
  chosenIndex: number;
  /** The question as it was shown (options in the shown order): the result can name them. */
  question: PresentedQuestion;
  rewardXp: number;
  award: AwardResult | null;
}

@Injectable()
export class QuizService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: GameSessionsService,
    private readonly ledger: LedgerService,
    private readonly random: RandomSource,
    private readonly rules: XpRules,
  ) {}

  /** Deals a question (not one of the player's recent ones), or returns the one still open. */
  async start(accountId: string): Promise<QuizGameView> {
    const { session, resumed } = await this.sessions.startOrResume<QuizState>(
      accountId,
      'quiz',
      async (tx, owner) => {
        const recent: { question_id: string }[] = await tx.manager.query(
          `SELECT state->>'questionId' AS question_id FROM game_sessions
            WHERE account_id = $1 AND game = 'quiz' ORDER BY id DESC LIMIT $2`,
          [owner, QUIZ_RECENT_WINDOW],
        );
        const question = pickQuestion(this.random, new Set(recent.map((r) => r.question_id)));
        return {
          questionId: question.id,
          order: shuffledOrder(this.random, question.en.options.length),
          xpRule: this.rules.pin('games'),
        };
      },
    );
    const question = quizQuestion(session.state.questionId);
    if (!question) throw new Error(`Quiz question ${session.state.questionId} left the bank`);
    return {
      sessionId: session.id,
      resumed,
      question: present(question, session.state.order),
      rewardXp: this.rules.applyPinned(session.state.xpRule, 'games', QUIZ_REWARD_XP).xp,
      xpEvent: session.state.xpRule?.event ?? null,
    };
  }

  /**
   * Answers once: right pays QUIZ_REWARD_XP (`game:{sessionId}`, reason game_quiz) in the same
   * transaction that ends the game; a second answer is GAME_FINISHED and pays nothing.
   */
  async answer(
    accountId: string,
    sessionId: string,
    optionIndex: number,
    source: ChangeSource,
  ): Promise<QuizAnswerResult> {
    return inTransaction(this.dataSource, undefined, async (tx) => {
      const session = await this.sessions.lockActive<QuizState>(tx, accountId, sessionId, 'quiz');
      const question = quizQuestion(session.state.questionId);
      if (!question) throw new Error(`Quiz question ${session.state.questionId} left the bank`);
      const size = session.state.order.length;
      if (!Number.isInteger(optionIndex) || optionIndex < 0 || optionIndex >= size) {
        throw new GamesError('INVALID_ANSWER', `Choose an option from 0 to ${size - 1}`, {
          options: size,
        });
      }
      const correctIndex = correctPosition(question, session.state.order);
      const correct = optionIndex === correctIndex;
      await this.sessions.finish(tx, session.id, correct ? 'won' : 'lost', {
        ...session.state,
        answer: optionIndex,
      });
      const amount = this.rules.applyPinned(session.state.xpRule, 'games', QUIZ_REWARD_XP);
      const award =
        correct && amount.xp > 0
          ? await this.ledger.award(
              {
                accountId: session.accountId,
                xp: amount.xp,
                metadata: amount.metadata,
                reason: 'game_quiz',
                source,
                idempotencyKey: `game:${session.id}`,
                entityId: session.id,
              },
              tx,
            )
          : null;
      return {
        sessionId: session.id,
        correct,
        correctIndex,
        chosenIndex: optionIndex,
        question: present(question, session.state.order),
        rewardXp: award && !award.duplicate ? amount.xp : 0,
        award,
      };
    });
  }
}
