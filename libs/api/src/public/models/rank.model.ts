import { Field, Int, ObjectType } from '@nestjs/graphql';
import { SafeIntScalar } from './safe-int.scalar';

@ObjectType('Rank', { description: 'One of the 20 ranks, reached at minXp' })
export class RankModel {
  @Field(() => Int) id: number;
  @Field() nameRu: string;
  @Field() nameEn: string;
  @Field(() => SafeIntScalar) minXp: number;
}
