import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/**
 * Exactly what the Telegram Login Widget gives the page, field names included, so a client
 * passes the widget's object through unchanged (the signature covers every field).
 */
@InputType('TelegramLoginInput')
export class TelegramLoginInput {
  @ApiProperty({ example: '123456789' })
  @Field(() => ID)
  @Matches(/^\d{1,20}$/, { message: 'id must be a numeric Telegram user id' })
  id: string;

  @ApiPropertyOptional()
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  first_name?: string;

  @ApiPropertyOptional()
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  last_name?: string;

  @ApiPropertyOptional()
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  username?: string;

  @ApiPropertyOptional()
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  photo_url?: string;

  @ApiProperty({ example: 1768478400 })
  @Field(() => Int)
  @IsInt()
  auth_date: number;

  @ApiProperty({ description: 'hex HMAC-SHA256 from Telegram' })
  @Field()
  @Matches(/^[0-9a-f]{64}$/i, { message: 'hash must be 64 hex characters' })
  hash: string;
}
