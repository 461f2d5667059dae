import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  NotEquals,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PLATFORMS, type Platform } from '@ttfd/linking';
import { SYNC_EVENT_STATUSES, SYNC_EVENT_TYPES } from '@ttfd/sync';
import { IsSnowflake } from './roles/snowflake';

const SNOWFLAKE_MESSAGE =
  'discordRoleId must be a Discord snowflake (a 64-bit id of 17-20 digits) or null';

export class RoleMappingBody {
  @ApiProperty({
    nullable: true,
    example: '112233445566778899',
    description: 'null removes the mapping',
  })
  @ValidateIf((_, value) => value !== null)
  @IsSnowflake({ message: SNOWFLAKE_MESSAGE })
  discordRoleId: string | null;
}

export class RankRoleItem extends RoleMappingBody {
  @ApiProperty({ minimum: 1, maximum: 20 })
  @IsInt()
  @Min(1)
  @Max(20)
  rankId: number;
}

export class AchievementRoleItem extends RoleMappingBody {
  @ApiProperty({ example: 'first_win' })
  @Matches(/^[a-z][a-z0-9_]{0,63}$/, { message: 'code must be an achievement code' })
  code: string;
}

export class RankRolesBody {
  @ApiProperty({ type: [RankRoleItem] })
  @ValidateNested({ each: true })
  @Type(() => RankRoleItem)
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  mappings: RankRoleItem[];
}

export class AchievementRolesBody {
  @ApiProperty({ type: [AchievementRoleItem] })
  @ValidateNested({ each: true })
  @Type(() => AchievementRoleItem)
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  mappings: AchievementRoleItem[];
}

export class RankIdParam {
  @ApiProperty() @Type(() => Number) @IsInt() @Min(1) @Max(20) rankId: number;
}

export class CodeParam {
  @ApiProperty()
  @Matches(/^[a-z][a-z0-9_]{0,63}$/, { message: 'code must be an achievement code' })
  code: string;
}

export class AccountIdParam {
  @ApiProperty() @Matches(/^[1-9]\d{0,17}$/, { message: 'id must be an account id' }) id: string;
}

export class EventIdParam {
  @ApiProperty() @Matches(/^[1-9]\d{0,17}$/, { message: 'id must be an event id' }) id: string;
}

export class PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  first?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) after?: string;
}

/** `GET /admin/accounts?platform=discord&externalId=...`: an account by a platform user id. */
export class AccountLookupQuery extends PageQuery {
  @ApiProperty({ enum: PLATFORMS })
  @IsIn(PLATFORMS, { message: 'platform must be telegram or discord' })
  platform: Platform;

  @ApiProperty({ example: '112233445566778899', description: 'The Telegram or Discord user id' })
  @Matches(/^\d{1,20}$/, { message: 'externalId must be a numeric user id' })
  externalId: string;
}

export class SyncEventsQueryParams extends PageQuery {
  @ApiPropertyOptional({ enum: SYNC_EVENT_STATUSES })
  @IsOptional()
  @IsIn(SYNC_EVENT_STATUSES)
  status?: string;

  @ApiPropertyOptional({ enum: SYNC_EVENT_TYPES })
  @IsOptional()
  @IsIn(SYNC_EVENT_TYPES)
  type?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[1-9]\d{0,17}$/, { message: 'accountId must be an account id' })
  accountId?: string;
}

export class ReportsQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class AdjustmentBody {
  @ApiProperty({ enum: ['xp', 'coins'] })
  @IsIn(['xp', 'coins'])
  currency: 'xp' | 'coins';

  @ApiProperty({ example: -50, description: 'Any sign; the balance never goes below zero' })
  @IsInt()
  @NotEquals(0)
  delta: number;

  @ApiProperty({ example: 'refund for a lost game' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  reason: string;
}
