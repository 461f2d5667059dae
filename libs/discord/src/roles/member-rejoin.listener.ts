import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Client, GuildMember } from 'discord.js';
import { IdentityService } from '@ttfd/linking';
import { SyncAdminService } from '@ttfd/sync';
import { DiscordSettings } from '../discord-settings';
import { onClientEvent } from '../gateway/client-events';

/**
 * A member who comes back gets their managed roles back: Discord forgets a member's roles when
 * they leave, so a `roles.resync` for their account lets the convergence re-add what they earned.
 * Someone we never saw has nothing to restore (no account is made for a mere join).
 */
@Injectable()
export class MemberRejoinListener implements OnModuleInit {
  private readonly logger = new Logger(MemberRejoinListener.name);

  constructor(
    private readonly settings: DiscordSettings,
    private readonly identities: IdentityService,
    private readonly syncAdmin: SyncAdminService,
    private readonly client: Client,
  ) {}

  onModuleInit(): void {
    onClientEvent(this.client, 'guildMemberAdd', this.logger, (member) => this.onJoin(member));
  }

  async onJoin(member: GuildMember): Promise<void> {
    if (member.guild.id !== this.settings.guildId || member.user.bot) return;
    const accountId = await this.identities.find('discord', member.id);
    if (accountId) await this.syncAdmin.resyncAccount(accountId, 'discord');
  }
}
