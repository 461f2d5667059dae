import { Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType('LinkCode')
export class LinkCodeModel {
  @Field({ description: 'Shown as ABCD-EFGH; give it to the Discord bot: /link code' })
  code: string;
  @Field() expiresAt: Date;
}

@ObjectType('LinkResult')
export class LinkResultModel {
  @Field(() => ID) accountId: string;
  @Field(() => ID, { description: 'The account merged into accountId' }) absorbedAccountId: string;
}

@ObjectType('UnlinkResult')
export class UnlinkResultModel {
  @Field(() => ID) telegramAccountId: string;
  @Field(() => ID, { description: 'The new, empty account of the Discord identity' })
  discordAccountId: string;
}
