import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { SafeIntScalar } from '../public/models/safe-int.scalar';

@ObjectType('ThroughputPoint')
export class ThroughputPointModel {
  @Field({ description: 'Start of the bucket' }) at: Date;
  @Field(() => Int, { description: 'Events completed in the bucket' }) completed: number;
  @Field(() => Int, {
    nullable: true,
    description: 'p95 of created -> completed, ms, of the events completed in the bucket',
  })
  lagP95Ms: number | null;
}

@ObjectType('CommunityOverview')
export class CommunityOverviewModel {
  @Field(() => Int, { description: 'Live accounts (merged ones excluded)' }) players: number;
  @Field(() => Int, { description: 'Live accounts holding both a Telegram and a Discord identity' })
  linkedPlayers: number;
  @Field(() => Float, { description: 'linkedPlayers / players, 0..1 (0 without players)' })
  linkedShare: number;
  @Field(() => SafeIntScalar, {
    description: 'Positive XP entries since midnight in COMMUNITY_TIMEZONE (by the app clock)',
  })
  xpAwardedToday: number;
  @Field(() => Int) bucketMinutes: number;
  @Field(() => [ThroughputPointModel], {
    description: 'Oldest first, one point per bucket (empty buckets included)',
  })
  series: ThroughputPointModel[];
}

@ObjectType('AccountRef')
export class AccountRefModel {
  @Field(() => ID) accountId: string;
}

@ObjectType('LoginOptions')
export class LoginOptionsModel {
  @Field(() => String, {
    nullable: true,
    description:
      "The Telegram bot's username for the Login Widget; null when player login is unavailable",
  })
  telegramBot: string | null;
}
