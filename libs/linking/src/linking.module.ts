import { Module } from '@nestjs/common';
import { EconomyModule } from '@ttfd/economy';
import { GamesModule } from '@ttfd/games';
import { AccountMerge } from './account-merge.service';
import { AccountUnlink } from './account-unlink.service';
import { IdentityService } from './identity.service';
import { LinkAttemptLimiter } from './link-attempt-limiter';
import { LinkCodes } from './link-codes.service';
import { LinkRedeemer } from './link-redeemer.service';

/**
 * Identities, link codes and merges, one class per job: `LinkCodes` (issue, burn, consume),
 * `LinkRedeemer` (a redeem, limited by `LinkAttemptLimiter`, merged by `AccountMerge`) and
 * `AccountUnlink`. Needs from the application: the TypeORM DataSource, `Clock`, `AppConfig` and
 * the global `OutboxModule` of @ttfd/sync; unlocks achievements through @ttfd/economy and ends
 * or locks running games through @ttfd/games.
 */
@Module({
  imports: [EconomyModule, GamesModule],
  providers: [
    IdentityService,
    LinkCodes,
    LinkAttemptLimiter,
    AccountMerge,
    LinkRedeemer,
    AccountUnlink,
  ],
  exports: [IdentityService, LinkCodes, LinkRedeemer, AccountUnlink],
})
export class LinkingModule {}
