import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('Achievement')
export class AchievementModel {
  @Field() code: string;
  @Field() nameRu: string;
  @Field() nameEn: string;
  @Field() descriptionRu: string;
  @Field() descriptionEn: string;
}

@ObjectType('UnlockedAchievement')
export class UnlockedAchievementModel extends AchievementModel {
  @Field() unlockedAt: Date;
}
