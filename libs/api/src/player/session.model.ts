import { ApiProperty } from '@nestjs/swagger';
import { Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType('Session')
export class SessionModel {
  @ApiProperty({ description: 'Send as Authorization: Bearer <token>' })
  @Field({ description: 'Send as Authorization: Bearer <token>' })
  token: string;

  @ApiProperty() @Field() expiresAt: Date;

  @ApiProperty() @Field(() => ID) accountId: string;
}
