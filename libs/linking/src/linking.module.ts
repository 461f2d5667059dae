import { Module } from '@nestjs/common';
import { IdentityService } from './identity.service';
import { LinkService } from './link.service';

/**
 * Identities, link codes and merges. Needs from the application: the TypeORM DataSource,
 * `Clock`, `AppConfig` and the global `OutboxModule` of @ttfd/sync.
 */
@Module({ providers: [IdentityService, LinkService], exports: [IdentityService, LinkService] })
export class LinkingModule {}
