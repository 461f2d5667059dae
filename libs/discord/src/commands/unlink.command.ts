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
import { translate } from '@ttfd/i18n';
import { AccountUnlink } from '@ttfd/linking';
import { CommandContext } from './command-context';
import { described } from './localized';

/**
 * `/unlink` answers at once when nothing is linked; otherwise it asks first (it splits a
 * profile and takes roles away), with buttons that carry the
 * asker's id so nobody else can press them. The managed roles then fall to what the new, empty
 * account earns: the `account.unlinked` event's convergence removes them, one DELETE each.
 */
@Injectable()
export class UnlinkCommand {
  constructor(
    private readonly unlinking: AccountUnlink,
    private readonly context: CommandContext,
  ) {}

  @SlashCommand({ name: 'unlink', ...described('discord.command.unlink') })
  async onUnlink(@Context() [interaction]: SlashCommandContext): Promise<void> {
    const locale = this.context.locale(interaction);
    try {
      await this.context.accountOf(interaction);
      await this.unlinking.requireLinked('discord', interaction.user.id);
      const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder()
          .setCustomId(`unlink/${interaction.user.id}/yes`)
          .setStyle(ButtonStyle.Danger)
          .setLabel(translate(locale, 'discord.unlink.yes')),
        new ButtonBuilder()
          .setCustomId(`unlink/${interaction.user.id}/no`)
          .setStyle(ButtonStyle.Secondary)
          .setLabel(translate(locale, 'discord.unlink.no')),
      );
      await this.context.answer(interaction, {
        content: translate(locale, 'discord.unlink.confirm'),
        components: [row],
        ephemeral: true,
      });
    } catch (error) {
      await this.context.fail(interaction, error);
    }
  }

  @Button('unlink/:userId/:answer')
  async onAnswer(
    @Context() [interaction]: ButtonContext,
    @ComponentParam('userId') userId: string,
    @ComponentParam('answer') answer: string,
  ): Promise<void> {
    const locale = this.context.locale(interaction);
    try {
      if (interaction.user.id !== userId) {
        await this.context.answer(interaction, {
          content: translate(locale, 'discord.unlink.notYours'),
          ephemeral: true,
        });
        return;
      }
      if (answer !== 'yes') {
        await this.context.update(interaction, {
          content: translate(locale, 'discord.unlink.cancelled'),
        });
        return;
      }
      // One short transaction, well inside the 3 s: answered by updating the prompt itself.
      await this.unlinking.unlink('discord', userId);
      await this.context.update(interaction, { content: translate(locale, 'discord.unlink.done') });
    } catch (error) {
      await this.context.fail(interaction, error);
    }
  }
}
