import { Body, Get, Param, Put } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { MappingChangeResult, RoleMapping, RoleMappingsService } from '@ttfd/sync';
import { AdminController } from '../admin-route.decorator';
import { AchievementRolesBody, CodeParam, RoleMappingBody } from '../admin.dto';

@AdminController('achievement-roles', 'role mappings')
export class AchievementRolesController {
  constructor(private readonly mappings: RoleMappingsService) {}

  @Get()
  @ApiOperation({ summary: 'The Discord role of each achievement (key = code)' })
  list(): Promise<RoleMapping[]> {
    return this.mappings.list('achievement');
  }

  @Put()
  @ApiOperation({ summary: 'Set several achievement roles at once; holders re-sync' })
  setAll(@Body() body: AchievementRolesBody): Promise<MappingChangeResult> {
    return this.mappings.set(
      'achievement',
      body.mappings.map((m) => ({ key: m.code, discordRoleId: m.discordRoleId })),
    );
  }

  @Put(':code')
  @ApiOperation({ summary: "Set one achievement's role; holders re-sync and lose the old role" })
  setOne(
    @Param() { code }: CodeParam,
    @Body() body: RoleMappingBody,
  ): Promise<MappingChangeResult> {
    return this.mappings.set('achievement', [{ key: code, discordRoleId: body.discordRoleId }]);
  }
}
