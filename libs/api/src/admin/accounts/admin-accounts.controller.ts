import { Body, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiHeader, ApiOperation } from '@nestjs/swagger';
import { AwardResult } from '@ttfd/economy';
import { SyncAdminService } from '@ttfd/sync';
import { ApiError } from '../api-error';
import { AdminController } from '../admin-route.decorator';
import { AccountIdParam, AccountLookupQuery, AdjustmentBody, PageQuery } from '../admin.dto';
import {
  AccountIdentity,
  AccountRoles,
  AdminAccountsService,
  AdminAccountView,
} from './admin-accounts.service';

type AccountDetail = AdminAccountView & { identities: AccountIdentity[]; roles: AccountRoles };

@AdminController('accounts', 'accounts')
export class AdminAccountsController {
  constructor(
    private readonly accounts: AdminAccountsService,
    private readonly sync: SyncAdminService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The account of a Telegram or Discord user id (404 IDENTITY_UNKNOWN if none)',
  })
  async find(
    @Query() { platform, externalId, first, after }: AccountLookupQuery,
  ): Promise<AccountDetail> {
    const id = await this.accounts.idOfIdentity(platform, externalId);
    return this.detail(id, first, after);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'An account with its identities, a page of its ledger (newest first) and its roles',
  })
  get(
    @Param() { id }: AccountIdParam,
    @Query() { first, after }: PageQuery,
  ): Promise<AccountDetail> {
    return this.detail(id, first, after);
  }

  @Post(':id/adjustments')
  @HttpCode(200)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'Resending with the same key applies once',
  })
  @ApiOperation({ summary: 'Adjust XP or coins through the ledger (source admin)' })
  adjust(
    @Param() { id }: AccountIdParam,
    @Body() body: AdjustmentBody,
    @Headers('idempotency-key') key: string | undefined,
  ): Promise<AwardResult> {
    if (!key || !/^[\x21-\x7e]{1,190}$/.test(key)) {
      throw new ApiError(
        'BAD_REQUEST',
        'Idempotency-Key header is required (1-190 printable characters)',
      );
    }
    return this.accounts.adjust(id, body, key);
  }

  private async detail(id: string, first?: number, after?: string): Promise<AccountDetail> {
    const account = await this.accounts.get(id, first, after ?? null);
    const [identities, roles] = await Promise.all([
      this.accounts.identitiesOf(account.id),
      this.accounts.roles(account.id),
    ]);
    return { ...account, identities, roles };
  }

  @Post(':id/resync')
  @HttpCode(202)
  @ApiOperation({ summary: "Re-converge the account's Discord roles now" })
  async resync(@Param() { id }: AccountIdParam): Promise<{ eventId: string }> {
    await this.accounts.get(id, 1);
    return { eventId: await this.sync.resyncAccount(id) };
  }
}
