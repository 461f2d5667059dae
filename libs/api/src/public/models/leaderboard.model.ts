import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { SafeIntScalar } from './safe-int.scalar';

@ObjectType('Season')
export class SeasonModel {
  @Field(() => Int) id: number;
  @Field() name: string;
  @Field() startsAt: Date;
  @Field() endsAt: Date;
  @Field() status: string;
  @Field(() => Date, { nullable: true }) closedAt: Date | null;
}

@ObjectType('LeaderboardEntry')
export class LeaderboardEntryModel {
  @Field(() => Int) place: number;
  @Field(() => ID) accountId: string;
  @Field(() => SafeIntScalar, { description: 'All-time XP, or XP earned in the season' })
  xp: number;
}

@ObjectType('LeaderboardPage')
export class LeaderboardPageModel {
  @Field(() => SeasonModel, { nullable: true, description: 'Null for the all-time leaderboard' })
  season: SeasonModel | null;
  @Field(() => [LeaderboardEntryModel]) entries: LeaderboardEntryModel[];
  @Field(() => String, { nullable: true }) endCursor: string | null;
  @Field() hasNextPage: boolean;
}

@ObjectType('LeaderboardStanding', {
  description: "The signed-in player's own place, and the cursor of the page that starts at it",
})
export class LeaderboardStandingModel {
  @Field(() => Int) place: number;
  @Field(() => SafeIntScalar) xp: number;
  @Field(() => ID) accountId: string;
  @Field(() => String, {
    nullable: true,
    description:
      "Pass as `after` to get the page that starts with the player's row (null: place 1)",
  })
  startCursor: string | null;
}
