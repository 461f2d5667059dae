import { Field, Float, ID, InputType, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsNumber,
  IsOptional,
  IsString,
  MaxLength,
  ValidateIf,
} from 'class-validator';

/*
 * Shapes of the XP rules for GraphQL and REST (one class each: an @InputType is also the REST
 * body). The checks here are only of type; every rule of value (ranges, ids, windows,
 * placeholders) is the domain's (XpRulesAdmin), whose refusals say what to send instead.
 */

@ObjectType('XpMultiplierRule')
export class XpMultiplierRuleModel {
  @Field() kind: string;
  @Field() targetId: string;
  @Field(() => Float, { description: '0 = no XP in this channel / with this role' })
  multiplier: number;
  @Field(() => String, { nullable: true }) note: string | null;
}

@ObjectType('XpEvent')
export class XpEventModel {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => Float) multiplier: number;
  @Field(() => [String]) sources: string[];
  @Field() startsAt: Date;
  @Field() endsAt: Date;
}

@ObjectType('RankAnnouncementSettings')
export class AnnouncementSettingsModel {
  @Field() enabled: boolean;
  @Field(() => String, { nullable: true }) discordChannelId: string | null;
  @Field(() => String, { nullable: true }) telegramChatId: string | null;
  @Field(() => String, { nullable: true, description: 'null: the default text' })
  templateRu: string | null;
  @Field(() => String, { nullable: true }) templateEn: string | null;
}

@ObjectType('XpRules')
export class XpRulesModel {
  @Field(() => Float) version: number;
  @Field(() => Float) globalMultiplier: number;
  @Field(() => [XpMultiplierRuleModel]) multipliers: XpMultiplierRuleModel[];
  @Field(() => [String], { description: 'DISCORD_NO_XP_CHANNEL_IDS: no XP there by default' })
  defaultNoXpChannelIds: string[];
  @Field(() => [XpEventModel]) events: XpEventModel[];
  @Field(() => AnnouncementSettingsModel) announcements: AnnouncementSettingsModel;
  @Field({ description: 'COMMUNITY_TIMEZONE: local event times are read in it' })
  timeZone: string;
}

@InputType('XpMultiplierInput')
export class XpMultiplierInput {
  @ApiProperty({ enum: ['channel', 'role'] })
  @Field()
  @IsString()
  kind: string;

  @ApiProperty({ example: '112233445566778899' })
  @Field()
  @IsString()
  @MaxLength(30)
  targetId: string;

  @ApiProperty({ minimum: 0, maximum: 10, description: '0 = no XP' })
  @Field(() => Float)
  @IsNumber()
  multiplier: number;

  @ApiPropertyOptional({ nullable: true, maxLength: 200 })
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string | null;
}

@InputType('XpEventInput')
export class XpEventInput {
  @ApiProperty({ example: 'Weekend double XP' })
  @Field()
  @IsString()
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: 2, description: 'above 1, at most 10' })
  @Field(() => Float)
  @IsNumber()
  multiplier: number;

  @ApiProperty({ example: ['discord_message', 'discord_voice', 'games', 'daily'] })
  @Field(() => [String])
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  sources: string[];

  @ApiProperty({ example: '2026-12-31T18:00', description: 'local (COMMUNITY_TIMEZONE) or ISO' })
  @Field()
  @IsString()
  @MaxLength(40)
  startsAt: string;

  @ApiProperty({ example: '2027-01-01T02:00' })
  @Field()
  @IsString()
  @MaxLength(40)
  endsAt: string;
}

@InputType('RankAnnouncementsInput')
export class AnnouncementsInput {
  @ApiPropertyOptional()
  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ nullable: true, description: 'null clears it' })
  @Field(() => String, { nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(30)
  discordChannelId?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @Field(() => String, { nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(30)
  telegramChatId?: string | null;

  @ApiPropertyOptional({ nullable: true, description: 'placeholders: {player} {rank} {platform}' })
  @Field(() => String, { nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(2000)
  templateRu?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @Field(() => String, { nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(2000)
  templateEn?: string | null;
}

export class GlobalMultiplierBody {
  @ApiProperty({ minimum: 0, maximum: 10 })
  @IsNumber()
  multiplier: number;
}
