import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';

@ObjectType('PlayerSettings')
export class PlayerSettingsModel {
  @Field({ description: 'No direct messages from either bot (roles still follow)' })
  dmOptOut: boolean;
  @Field({ description: 'Shown as "Hidden player" on public leaderboards, keeping the place' })
  leaderboardHidden: boolean;
}

@InputType('PlayerSettingsInput')
export class PlayerSettingsInput {
  @ApiPropertyOptional()
  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  dmOptOut?: boolean;

  @ApiPropertyOptional()
  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  leaderboardHidden?: boolean;
}
