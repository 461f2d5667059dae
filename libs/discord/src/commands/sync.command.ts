import { Injectable } from '@nestjs/common';
import { Context, SlashCommand, type SlashCommandContext } from 'necord';
import { translate } from '@ttfd/i18n';
import { RoleConvergenceService } from '@ttfd/sync';
import { CommandContext } from './command-context';
import { described } from './localized';

/**
 * `/sync`: converges the member's managed roles now (the same convergence the sync worker runs:
 * only roles in the mapping tables, one PUT / DELETE each) and says what changed. Deferred:
 * Discord's rate limits can make the role calls take longer than 3 seconds.
 */
@Injectable()
export class SyncCommand {
  constructor(
    private readonly convergence: RoleConvergenceService,
    private readonly context: CommandContext,
  ) {}

  @SlashCommand({ name: 'sync', ...described('discord.command.sync') })
  async onSync(@Context() [interaction]: SlashCommandContext): Promise<void> {
    const locale = this.context.locale(interaction);
    try {
      if (!(await this.context.defer(interaction, true))) return;
      const accountId = await this.context.accountOf(interaction);
      // Fresh: the member asks because something looks wrong, maybe changed by hand in Discord.
      const result = await this.convergence.converge(interaction.user.id, accountId, {
        fresh: true,
      });
      const roleName = (id: string) => interaction.guild?.roles.cache.get(id)?.name ?? id;
      const list = (ids: string[]) =>
        ids.length > 0 ? ids.map(roleName).join(', ') : translate(locale, 'discord.sync.none');
      const changed = result.added.length + result.removed.length > 0;
      await this.context.answer(interaction, {
        content: changed
          ? translate(locale, 'discord.sync.changed', {
              added: list(result.added),
              removed: list(result.removed),
            })
          : translate(locale, 'discord.sync.unchanged'),
        ephemeral: true,
      });
    } catch (error) {
      await this.context.fail(interaction, error);
    }
  }
}
