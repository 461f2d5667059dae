import { Inject, OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { Command, Ctx, Update } from 'nestjs-telegraf';
import type { Context } from 'telegraf';
import { Markup } from 'telegraf';
import type { Message } from 'telegraf/types';
import { isDomainError } from '@ttfd/common';
import { REDIS } from '@ttfd/database';
import { XpRuleMetadata, xpEventLines, XpRules } from '@ttfd/economy';
import { GamesError, GuessService, QuizService, WheelService } from '@ttfd/games';
import { CallbackRegistry } from '../callbacks/callback-registry';
import { Conversation } from '../conversation/conversation.service';
import { rewardText } from '../conversation/format';
import { PlayerDirectory } from '../conversation/player-directory';
import { TextInputHandler, TextInputRouter } from '../conversation/text-input-router';
import type { Turn } from '../conversation/turn';
import { TELEGRAM_SETTINGS, TelegramSettings } from '../telegram-settings';

/** Button actions of this feature (kept short: they travel in 64-byte callback data). */
const PICK_GAME = 'g';
const QUIZ_ANSWER = 'q';
/** Which guess game a chat is typing numbers into; conversation state only, not a rule. */
const GUESS_KEY = (userId: number) => `tg:guess:${userId}`;
const GUESS_KEY_TTL_SECONDS = 86_400;
const INTEGER = /^[+-]?\d{1,9}$/;

/**
 * /games and the three games. The rules (secret, tries, rewards, once a day) are the games
 * library's; this class only turns them into messages and buttons.
 */
@Update()
export class GamesUpdate implements OnModuleInit, TextInputHandler {
  constructor(
    private readonly conversation: Conversation,
    private readonly players: PlayerDirectory,
    private readonly callbacks: CallbackRegistry,
    private readonly inputs: TextInputRouter,
    private readonly guessGames: GuessService,
    private readonly quizzes: QuizService,
    private readonly wheel: WheelService,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly rules: XpRules,
    @Inject(TELEGRAM_SETTINGS) private readonly settings: TelegramSettings,
  ) {}

  onModuleInit(): void {
    this.callbacks.register(PICK_GAME, (turn, [game]) => this.pick(turn, game));
    this.callbacks.register(QUIZ_ANSWER, (turn, [sessionId, option], message) =>
      this.answerQuiz(turn, sessionId, Number(option), message),
    );
    this.inputs.register(this);
  }

  @Command('games')
  async games(@Ctx() ctx: Context): Promise<void> {
    await this.conversation.handle(ctx, async (turn) => {
      // A double-XP event for games is said before the player picks (it multiplies XP prizes).
      const events = this.rules.activeEvents().filter((e) => e.sources.includes('games'));
      const choose = [
        turn.t('telegram.games.choose'),
        ...xpEventLines(turn.locale, events, this.settings.timeZone),
      ].join('\n');
      await turn.reply(
        choose,
        Markup.inlineKeyboard([
          [turn.button(turn.t('telegram.games.guess'), PICK_GAME, ['guess'])],
          [turn.button(turn.t('telegram.games.quiz'), PICK_GAME, ['quiz'])],
          [turn.button(turn.t('telegram.games.spin'), PICK_GAME, ['spin'])],
        ]),
      );
    });
  }

  private async pick(turn: Turn, game: string | undefined): Promise<void> {
    await turn.answer();
    const accountId = await this.players.accountId(turn);
    switch (game) {
      case 'guess': {
        const view = await this.guessGames.start(accountId);
        await this.redis.set(GUESS_KEY(turn.userId), view.sessionId, 'EX', GUESS_KEY_TTL_SECONDS);
        await turn.reply(
          [
            turn.t('telegram.guess.started', {
              min: view.min,
              max: view.max,
              tries: view.triesLeft,
            }),
            turn.t('xp.game.rewardRange', {
              worst: rewardText(turn.locale, view.rewardXp.worst),
              best: rewardText(turn.locale, view.rewardXp.best),
            }),
            ...eventLine(turn, view.xpEvent),
          ].join('\n'),
        );
        return;
      }
      case 'quiz': {
        const { sessionId, question, rewardXp, xpEvent } = await this.quizzes.start(accountId);
        const text = question[turn.locale];
        await turn.reply(
          [
            turn.t('telegram.quiz.question', { question: text.text }),
            turn.t('xp.game.reward', { xp: rewardText(turn.locale, rewardXp) }),
            ...eventLine(turn, xpEvent),
          ].join('\n'),
          Markup.inlineKeyboard(
            text.options.map((option, index) => [
              turn.button(option, QUIZ_ANSWER, [sessionId, index]),
            ]),
          ),
        );
        return;
      }
      case 'spin': {
        const spin = await this.wheel.spin(accountId, 'telegram');
        const prize =
          spin.prize.kind === 'xp'
            ? rewardText(turn.locale, spin.prize.amount)
            : rewardText(turn.locale, 0, spin.prize.amount);
        await turn.reply(turn.t('telegram.spin.result', { prize }));
        return;
      }
      default:
        await turn.reply(turn.t('telegram.button.unknown'));
    }
  }

  /** The message is edited with the result; a second press is GAME_FINISHED and pays nothing. */
  private async answerQuiz(
    turn: Turn,
    sessionId: string | undefined,
    option: number,
    message: Message | undefined,
  ): Promise<void> {
    if (!sessionId) {
      await turn.answer(turn.t('telegram.button.unknown'), true);
      return;
    }
    const accountId = await this.players.accountId(turn);
    let result;
    try {
      result = await this.quizzes.answer(accountId, sessionId, option, 'telegram');
    } catch (error) {
      if (error instanceof GamesError && error.code === 'GAME_FINISHED') {
        await turn.answer(turn.t('telegram.quiz.alreadyAnswered'), true);
        return;
      }
      throw error;
    }
    // Every text comes from the game, not from the pressed message: Telegram sends an old
    // message without its text and buttons, and the edit below removes the buttons anyway.
    const shown = result.question[turn.locale];
    const verdict = result.correct
      ? turn.t('telegram.quiz.correct', {
          answer: shown.options[result.correctIndex],
          reward: rewardText(turn.locale, result.rewardXp),
        })
      : turn.t('telegram.quiz.wrong', { answer: shown.options[result.correctIndex] });
    const text = [
      turn.t('telegram.quiz.question', { question: shown.text }),
      '',
      turn.t('telegram.quiz.yourAnswer', { answer: shown.options[result.chosenIndex] }),
      verdict,
    ].join('\n');
    await turn.answer();
    if (message) await turn.edit(message.message_id, text);
    else await turn.reply(text);
  }

  /** Typed text while a guess game runs: a number is a guess; anything else costs nothing. */
  async tryHandle(turn: Turn, text: string): Promise<boolean> {
    const sessionId = await this.redis.get(GUESS_KEY(turn.userId));
    if (!sessionId) return false;
    const trimmed = text.trim();
    if (!INTEGER.test(trimmed)) {
      await turn.reply(turn.t('telegram.guess.notANumber', { min: 1, max: 100 }));
      return true;
    }
    const accountId = await this.players.accountId(turn);
    let result;
    try {
      result = await this.guessGames.guess(accountId, sessionId, Number(trimmed), 'telegram');
    } catch (error) {
      // The game ended elsewhere (or was abandoned): stop routing numbers to it.
      if (
        isDomainError(error) &&
        (error.code === 'GAME_FINISHED' || error.code === 'GAME_NOT_FOUND')
      ) {
        await this.redis.del(GUESS_KEY(turn.userId));
      }
      throw error;
    }
    switch (result.outcome) {
      case 'higher':
        await turn.reply(turn.t('telegram.guess.higher', { tries: result.triesLeft }));
        return true;
      case 'lower':
        await turn.reply(turn.t('telegram.guess.lower', { tries: result.triesLeft }));
        return true;
      case 'won':
        await this.redis.del(GUESS_KEY(turn.userId));
        await turn.reply(
          turn.t('telegram.guess.won', {
            number: result.guess,
            reward: rewardText(turn.locale, result.rewardXp),
          }),
        );
        return true;
      case 'lost':
        await this.redis.del(GUESS_KEY(turn.userId));
        await turn.reply(turn.t('telegram.guess.lost', { number: result.secret ?? '?' }));
        return true;
    }
  }
}

/** "⚡ Weekend: XP ×2" under a game's reward when an event multiplies it. */
function eventLine(turn: Turn, event: XpRuleMetadata['event'] | null): string[] {
  return event ? [turn.t('xp.game.event', { name: event.name, multiplier: event.multiplier })] : [];
}
