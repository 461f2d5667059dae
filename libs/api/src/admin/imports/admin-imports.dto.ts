import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNumberString, IsOptional, Matches } from 'class-validator';

/** Multipart text fields come as strings. */
export class ImportUploadBody {
  @ApiProperty({ enum: ['mee6', 'csv'] })
  @IsIn(['mee6', 'csv'], { message: 'source must be mee6 or csv (stage1 runs from the CLI)' })
  source!: 'mee6' | 'csv';

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  dryRun?: string;

  @ApiPropertyOptional({ description: 'Our XP per MEE6 XP (default 10)' })
  @IsOptional()
  @IsNumberString({ no_symbols: true })
  factor?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'Apply MEE6 role rewards as rank-role mappings',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  applyRoleRewards?: string;

  @ApiProperty({ type: 'string', format: 'binary' })
  @IsOptional()
  file?: unknown;
}

export class ImportRunIdParam {
  @ApiProperty({ example: '12' })
  @Matches(/^[0-9]{1,18}$/, { message: 'id must be a run id (digits)' })
  id!: string;
}
