import { Injectable } from '@nestjs/common';
import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import {
  Button,
  ComponentParam,
  Context,
  SlashCommand,
  type ButtonContext,
  type SlashCommandContext,
} from 'necord';
import { PlayerSettings, PlayerSettingsService } from '@ttfd/economy';
import { translate, type Locale } from '@ttfd/i18n';
import { CommandContext } from './command-context';
import { described } from './localized';

/**
 * `/settings`: the player's own switches, shared with Telegram's /settings and the dashboard:
 * direct messages on/off (roles still follow) and the name on public leaderboards. Only for the
 * asker; the buttons carry the asker's id so nobody else can press them.
 */
@Injectable()
export class SettingsCommand {
  constructor(
    private readonly settings: PlayerSettingsService,
    private readonly context: CommandContext,
  ) {}

  @SlashCommand({ name: 'settings', ...described('discord.command.settings') })
  async onSettings(@Context() [interaction]: SlashCommandContext): Promise<void> {
    const locale = this.context.locale(interaction);
    try {
      const accountId = await this.context.accountOf(interaction);
      const current = await this.settings.get(accountId);
      await this.context.answer(interaction, {
        ...view(locale, interaction.user.id, current),
        ephemeral: true,
      });
    } catch (error) {
      await this.context.fail(interaction, error);
    }
  }

  @Button('settings/:userId/:which')
  async onToggle(
    @Context() [interaction]: ButtonContext,
    @ComponentParam('userId') userId: string,
    @ComponentParam('which') which: string,
  ): Promise<void> {
    const locale = this.context.locale(interaction);
    try {
      if (interaction.user.id !== userId || (which !== 'dm' && which !== 'top')) {
        await this.context.answer(interaction, {
          content: translate(locale, 'discord.unlink.notYours'),
          ephemeral: true,
        });
        return;
      }
      const accountId = await this.context.accountOf(interaction);
      const current = await this.settings.get(accountId);
      const next = await this.settings.set(
        accountId,
        which === 'dm'
          ? { dmOptOut: !current.dmOptOut }
          : { leaderboardHidden: !current.leaderboardHidden },
      );
      await this.context.update(interaction, view(locale, userId, next));
    } catch (error) {
      await this.context.fail(interaction, error);
    }
  }
}

function view(locale: Locale, userId: string, settings: PlayerSettings) {
  const content = [
    translate(locale, 'settings.title'),
    translate(locale, settings.dmOptOut ? 'settings.dm.off' : 'settings.dm.on'),
    translate(locale, settings.leaderboardHidden ? 'settings.top.hidden' : 'settings.top.shown'),
  ].join('\n');
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(`settings/${userId}/dm`)
      .setStyle(ButtonStyle.Secondary)
      .setLabel(translate(locale, 'settings.toggle.dm')),
    new ButtonBuilder()
      .setCustomId(`settings/${userId}/top`)
      .setStyle(ButtonStyle.Secondary)
      .setLabel(translate(locale, 'settings.toggle.top')),
  );
  return { content, components: [row] };
}
