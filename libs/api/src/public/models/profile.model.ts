import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { RankModel } from './rank.model';
import { SafeIntScalar } from './safe-int.scalar';

@ObjectType('RankProgress')
export class RankProgressModel {
  @Field(() => SafeIntScalar) xpIntoRank: number;
  @Field(() => SafeIntScalar) xpForNextRank: number;
  @Field(() => Int, { description: '0-100' }) percent: number;
}

@ObjectType('SeasonPlace')
export class SeasonPlaceModel {
  @Field(() => Int) seasonId: number;
  @Field(() => Int) place: number;
  @Field(() => SafeIntScalar) xp: number;
}

@ObjectType('Identity', {
  description: 'A platform identity; shown only to its player or an admin',
})
export class IdentityModel {
  @Field() platform: string;
  @Field() externalId: string;
  @Field(() => String, { nullable: true }) username?: string;
  @Field(() => String, { nullable: true }) displayName?: string;
}

/**
 * A player's public profile. `coins` and `identities` resolve to null unless the viewer is the
 * player or an admin, so nobody learns a Telegram id from a Discord id (or a balance).
 */
@ObjectType('Profile')
export class ProfileModel {
  @Field(() => ID) accountId: string;
  @Field(() => SafeIntScalar) xp: number;
  @Field(() => RankModel) rank: RankModel;
  @Field(() => RankModel, { nullable: true }) nextRank: RankModel | null;
  @Field(() => RankProgressModel) progress: RankProgressModel;
  @Field(() => SeasonPlaceModel, { nullable: true }) season: SeasonPlaceModel | null;
}
