import { Injectable, Logger } from '@nestjs/common';
import { Context, On, type ContextOf } from 'necord';
import { IdentityService } from '@ttfd/linking';
import { SyncAdminService } from '@ttfd/sync';
import { DiscordSettings } from '../discord-settings';

/**
 * A member who comes back gets their managed roles back: Discord forgets a member's roles when
 * they leave, so a `roles.resync` for their account lets the convergence re-add what they earned.
 * Someone we never saw has nothing to restore (no account is made for a mere join).
 */
@Injectable()
export class MemberRejoinListener {
  private readonly logger = new Logger(MemberRejoinListener.name);

  constructor(
    private readonly settings: DiscordSettings,
    private readonly identities: IdentityService,
    private readonly syncAdmin: SyncAdminService,
  ) {}

  @On('guildMemberAdd')
  async onJoin(@Context() [member]: ContextOf<'guildMemberAdd'>): Promise<void> {
    if (member.guild.id !== this.settings.guildId || member.user.bot) return;
    try {
      const accountId = await this.identities.find('discord', member.id);
      if (accountId) await this.syncAdmin.resyncAccount(accountId);
    } catch (error) {
      this.logger.error(`Role restore for ${member.id} failed: ${(error as Error).message}`);
    }
  }
}
