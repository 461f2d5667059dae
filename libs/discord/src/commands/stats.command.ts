import { Injectable } from '@nestjs/common';
import { EmbedBuilder, PermissionFlagsBits } from 'discord.js';
import { Context, SlashCommand, type SlashCommandContext } from 'necord';
import { translate, type Locale } from '@ttfd/i18n';
import { SyncStatsService, type SyncStats } from '@ttfd/sync';
import { CommandContext } from './command-context';
import { described } from './localized';

const WINDOW_MINUTES = 15;

/**
 * Admin `/stats`: the sync's health over the last minutes, ephemeral. Hidden from members
 * without Manage Server by default (Discord applies `default_member_permissions`), and checked
 * again here because a server owner can override who sees the command.
 */
@Injectable()
export class StatsCommand {
  constructor(
    private readonly stats: SyncStatsService,
    private readonly context: CommandContext,
  ) {}

  @SlashCommand({
    name: 'stats',
    ...described('discord.command.stats'),
    defaultMemberPermissions: PermissionFlagsBits.ManageGuild,
  })
  async onStats(@Context() [interaction]: SlashCommandContext): Promise<void> {
    const locale = this.context.locale(interaction);
    try {
      if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
        await this.context.answer(interaction, {
          content: translate(locale, 'discord.stats.forbidden'),
          ephemeral: true,
        });
        return;
      }
      const stats = await this.stats.stats(WINDOW_MINUTES);
      await this.context.answer(interaction, {
        embeds: [statsEmbed(locale, stats).toJSON()],
        ephemeral: true,
      });
    } catch (error) {
      await this.context.fail(interaction, error);
    }
  }
}

function statsEmbed(locale: Locale, stats: SyncStats): EmbedBuilder {
  const none = translate(locale, 'discord.stats.none');
  const ms = (value: number | null) => (value === null ? none : `${Math.round(value)} ms`);
  return new EmbedBuilder()
    .setTitle(translate(locale, 'discord.stats.title', { minutes: stats.windowMinutes }))
    .addFields(
      {
        name: translate(locale, 'discord.stats.statuses'),
        value: translate(locale, 'discord.stats.statusesValue', { ...stats.byStatus }),
      },
      {
        name: translate(locale, 'discord.stats.throughput'),
        value: String(Math.round(stats.throughputPerMinute * 10) / 10),
        inline: true,
      },
      {
        name: translate(locale, 'discord.stats.lag'),
        value: [stats.lagMs.p50, stats.lagMs.p95, stats.lagMs.max].map(ms).join(' / '),
        inline: true,
      },
      {
        name: translate(locale, 'discord.stats.oldestPending'),
        value: ms(stats.oldestPendingAgeMs),
        inline: true,
      },
    );
}
