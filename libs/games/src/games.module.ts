import { Module } from '@nestjs/common';
import { EconomyModule } from '@ttfd/economy';
import { DailyService } from './daily/daily.service';
import { GuessService } from './guess/guess.service';
import { QuizService } from './quiz/quiz.service';
import { CryptoRandom, RandomSource } from './random/random-source';
import { GameSessionsService } from './sessions/game-sessions.service';
import { WheelService } from './wheel/wheel.service';

const SERVICES = [GameSessionsService, GuessService, QuizService, WheelService, DailyService];

/** The mini-games, platform-free: bots call these services and translate error codes. */
@Module({
  imports: [EconomyModule],
  providers: [{ provide: RandomSource, useClass: CryptoRandom }, ...SERVICES],
  exports: [RandomSource, ...SERVICES],
})
export class GamesModule {}
