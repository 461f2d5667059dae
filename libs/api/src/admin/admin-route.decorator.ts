import { applyDecorators, Controller, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AdminTokenGuard } from '../auth/admin-token.guard';
import { DatabaseTextErrorFilter } from '../errors/database-text-error.filter';
import { DomainErrorFilter } from '../errors/domain-error.filter';
import { strictValidation } from '../errors/strict-validation.pipe';

/**
 * Every admin controller in one line: under /admin, behind the admin token, strict validation,
 * domain errors mapped to statuses. (admin-guard.spec.ts fails if an admin route lacks the guard.)
 */
export function AdminController(path: string, tag: string): ClassDecorator {
  return applyDecorators(
    Controller(`admin/${path}`),
    UseGuards(AdminTokenGuard),
    UseFilters(DomainErrorFilter, DatabaseTextErrorFilter),
    UsePipes(strictValidation()),
    ApiTags(`admin: ${tag}`),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing or wrong ADMIN_TOKEN' }),
  );
}
