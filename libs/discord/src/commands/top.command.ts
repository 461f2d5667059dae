import { Injectable } from '@nestjs/common';
import { EmbedBuilder } from 'discord.js';
import { Context, SlashCommand, type SlashCommandContext } from 'necord';
import { SeasonStandings } from '@ttfd/economy';
import { formatCommunityTime, translate } from '@ttfd/i18n';
import { IdentityService } from '@ttfd/linking';
import { DiscordSettings } from '../discord-settings';
import { CommandContext } from './command-context';
import { described } from './localized';

const TOP_SIZE = 10;

/** `/top`: the open season's leaderboard, in the channel (it is about everyone), plus your place. */
@Injectable()
export class TopCommand {
  constructor(
    private readonly seasons: SeasonStandings,
    private readonly identities: IdentityService,
    private readonly context: CommandContext,
    private readonly settings: DiscordSettings,
  ) {}

  @SlashCommand({ name: 'top', ...described('discord.command.top') })
  async onTop(@Context() [interaction]: SlashCommandContext): Promise<void> {
    const locale = this.context.locale(interaction);
    try {
      if (!(await this.context.defer(interaction, false))) return;
      const accountId = await this.context.accountOf(interaction);
      const page = await this.seasons.standings('current', TOP_SIZE);
      const seasonEnds = translate(locale, 'discord.top.seasonEnds', {
        time: formatCommunityTime(page.season.endsAt, this.settings.timeZone, locale),
      });
      if (page.entries.length === 0) {
        await this.context.answer(interaction, {
          content: `${translate(locale, 'discord.top.empty')}\n${seasonEnds}`,
          ephemeral: false,
        });
        return;
      }
      const lines: string[] = [];
      for (const entry of page.entries) {
        const { discord, telegram } = await this.identities.identitiesOf(entry.accountId);
        const name =
          discord?.displayName ??
          discord?.username ??
          telegram?.displayName ??
          telegram?.username ??
          translate(locale, 'discord.top.anonymous', { id: entry.accountId });
        lines.push(
          translate(locale, 'discord.top.line', { place: entry.place, name, xp: entry.xp }),
        );
      }
      const mine = await this.seasons.placeOf(accountId);
      const embed = new EmbedBuilder()
        .setTitle(`${translate(locale, 'discord.top.title')}: ${page.season.name}`)
        .setDescription(`${lines.join('\n')}\n\n${seasonEnds}`);
      if (mine) {
        embed.setFooter({
          text: translate(locale, 'discord.top.you', { place: mine.place, xp: mine.xp }),
        });
      }
      await this.context.answer(interaction, { embeds: [embed.toJSON()], ephemeral: false });
    } catch (error) {
      await this.context.fail(interaction, error);
    }
  }
}
