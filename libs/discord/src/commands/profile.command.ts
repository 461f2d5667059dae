import { Injectable, Logger } from '@nestjs/common';
import { EmbedBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { Context, SlashCommand, type SlashCommandContext } from 'necord';
import { RankCards, type RankCardImage } from '@ttfd/cards';
import { describeError } from '@ttfd/common';
import { ProfileService, type ProfileView, xpEventLines, XpRules } from '@ttfd/economy';
import { translate, type Locale } from '@ttfd/i18n';
import { IdentityService } from '@ttfd/linking';
import { CommandContext } from './command-context';
import { DiscordSettings } from '../discord-settings';
import { DiscordAvatars } from './discord-avatars';
import { described } from './localized';

/**
 * `/profile` and `/rank` (what players of other bots type): the shared profile as a rank card
 * image, only for the asker. When the card cannot be drawn, the embed says the same in text.
 */
@Injectable()
export class ProfileCommand {
  private readonly logger = new Logger(ProfileCommand.name);

  constructor(
    private readonly profiles: ProfileService,
    private readonly identities: IdentityService,
    private readonly context: CommandContext,
    private readonly cards: RankCards,
    private readonly avatars: DiscordAvatars,
    private readonly rules: XpRules,
    private readonly settings: DiscordSettings,
  ) {}

  @SlashCommand({ name: 'profile', ...described('discord.command.profile') })
  async onProfile(@Context() [interaction]: SlashCommandContext): Promise<void> {
    await this.show(interaction);
  }

  @SlashCommand({ name: 'rank', ...described('discord.command.rank') })
  async onRank(@Context() [interaction]: SlashCommandContext): Promise<void> {
    await this.show(interaction);
  }

  private async show(interaction: ChatInputCommandInteraction): Promise<void> {
    const locale = this.context.locale(interaction);
    // Fetching an avatar may take longer than Discord's 3 seconds: acknowledge first.
    if (!(await this.context.defer(interaction, true))) return;
    try {
      const accountId = await this.context.accountOf(interaction);
      const profile = await this.profiles.get(accountId);
      const name =
        interaction.member && 'displayName' in interaction.member
          ? interaction.member.displayName
          : interaction.user.username;
      const card = await this.card(interaction, profile, locale, name);
      // Double-XP events running now, said above the card or the embed.
      const events = xpEventLines(locale, this.rules.activeEvents(), this.settings.timeZone);
      const content = events.length > 0 ? events.join('\n') : undefined;
      if (card) {
        await this.context.answer(interaction, {
          content,
          files: [
            {
              attachment: card.png,
              name: card.fileName,
              description: translate(locale, 'card.description', { name }),
            },
          ],
          ephemeral: true,
        });
        return;
      }
      const { telegram } = await this.identities.identitiesOf(profile.accountId);
      await this.context.answer(interaction, {
        content,
        embeds: [profileEmbed(locale, name, profile, Boolean(telegram)).toJSON()],
        ephemeral: true,
      });
    } catch (error) {
      await this.context.fail(interaction, error);
    }
  }

  /** The card, or null when it cannot be drawn (the embed answers instead). */
  private async card(
    interaction: ChatInputCommandInteraction,
    profile: ProfileView,
    locale: Locale,
    displayName: string,
  ): Promise<RankCardImage | null> {
    try {
      return await this.cards.cardOf({
        profile,
        locale,
        displayName,
        avatar: this.avatars.sourceOf(interaction),
      });
    } catch (error) {
      this.logger.error(
        `Rank card of account ${profile.accountId} failed: ${describeError(error)}`,
      );
      return null;
    }
  }
}

export function profileEmbed(
  locale: Locale,
  name: string,
  profile: ProfileView,
  telegramLinked: boolean,
): EmbedBuilder {
  const t = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) =>
    translate(locale, key, params);
  const rankName = (rank: { nameRu: string; nameEn: string }) =>
    locale === 'ru' ? rank.nameRu : rank.nameEn;
  const achievements = profile.achievements.map((a) => (locale === 'ru' ? a.nameRu : a.nameEn));
  const embed = new EmbedBuilder().setTitle(t('discord.profile.title', { name })).addFields(
    { name: t('discord.profile.xp'), value: String(profile.xp), inline: true },
    { name: t('discord.profile.coins'), value: String(profile.coins), inline: true },
    {
      name: t('discord.profile.rank'),
      value: t('discord.profile.rankValue', { rank: rankName(profile.rank), id: profile.rank.id }),
      inline: true,
    },
    {
      name: t('discord.profile.progress'),
      value: profile.nextRank
        ? t('discord.profile.progressValue', {
            into: profile.progress.xpIntoRank,
            needed: profile.progress.xpForNextRank,
            next: rankName(profile.nextRank),
            percent: profile.progress.percent,
          })
        : t('discord.profile.maxRank'),
    },
    {
      name: t('discord.profile.achievements'),
      value:
        achievements.length > 0 ? achievements.join(', ') : t('discord.profile.noAchievements'),
    },
    {
      name: t('discord.profile.telegram'),
      value: telegramLinked ? t('discord.profile.linked') : t('discord.profile.notLinked'),
      inline: true,
    },
  );
  if (profile.season) {
    embed.addFields({
      name: t('discord.profile.season'),
      value: t('discord.profile.seasonValue', {
        place: profile.season.place,
        xp: profile.season.xp,
      }),
      inline: true,
    });
  }
  return embed;
}
