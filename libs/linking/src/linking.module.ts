import { Module } from '@nestjs/common';
import { EconomyModule } from '@ttfd/economy';
import { IdentityService } from './identity.service';
import { LinkService } from './link.service';

/**
 * Identities, link codes and merges. Needs from the application: the TypeORM DataSource,
 * `Clock`, `AppConfig` and the global `OutboxModule` of @ttfd/sync; unlocks achievements through
 * @ttfd/economy.
 */
@Module({
  imports: [EconomyModule],
  providers: [IdentityService, LinkService],
  exports: [IdentityService, LinkService],
})
export class LinkingModule {}
