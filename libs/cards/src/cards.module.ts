import { Module } from '@nestjs/common';
import { AvatarFetcher } from './avatar-fetcher';
import { CardRenderer } from './card-renderer';
import { RankCards } from './rank-cards.service';

/** Rank cards for both bots: one renderer and one cache per process. */
@Module({
  providers: [CardRenderer, RankCards, AvatarFetcher],
  exports: [CardRenderer, RankCards, AvatarFetcher],
})
export class CardsModule {}
