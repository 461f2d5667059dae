import { Body, Get, Param, Put } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { MappingChangeResult, RoleMapping, RoleMappingsService } from '@ttfd/sync';
import { AdminController } from '../admin-route.decorator';
import { RankIdParam, RankRolesBody, RoleMappingBody } from '../admin.dto';

@AdminController('rank-roles', 'role mappings')
export class RankRolesController {
  constructor(private readonly mappings: RoleMappingsService) {}

  @Get()
  @ApiOperation({ summary: 'The Discord role of each of the 20 ranks (key = rank id)' })
  list(): Promise<RoleMapping[]> {
    return this.mappings.list('rank');
  }

  @Put()
  @ApiOperation({ summary: 'Set several rank roles at once; affected members re-sync' })
  setAll(@Body() body: RankRolesBody): Promise<MappingChangeResult> {
    return this.mappings.set(
      'rank',
      body.mappings.map((m) => ({ key: String(m.rankId), discordRoleId: m.discordRoleId })),
    );
  }

  @Put(':rankId')
  @ApiOperation({ summary: "Set one rank's role; its members re-sync and lose the old role" })
  setOne(
    @Param() { rankId }: RankIdParam,
    @Body() body: RoleMappingBody,
  ): Promise<MappingChangeResult> {
    return this.mappings.set('rank', [{ key: String(rankId), discordRoleId: body.discordRoleId }]);
  }
}
