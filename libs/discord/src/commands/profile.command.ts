import { Injectable } from '@nestjs/common';
import { EmbedBuilder } from 'discord.js';
import { Context, SlashCommand, type SlashCommandContext } from 'necord';
import { ProfileService, type ProfileView } from '@ttfd/economy';
import { translate, type Locale } from '@ttfd/i18n';
import { IdentityService } from '@ttfd/linking';
import { CommandContext } from './command-context';
import { described } from './localized';

/** `/profile`: the shared profile as an embed, only for the asker. */
@Injectable()
export class ProfileCommand {
  constructor(
    private readonly profiles: ProfileService,
    private readonly identities: IdentityService,
    private readonly context: CommandContext,
  ) {}

  @SlashCommand({ name: 'profile', ...described('discord.command.profile') })
  async onProfile(@Context() [interaction]: SlashCommandContext): Promise<void> {
    const locale = this.context.locale(interaction);
    try {
      const accountId = await this.context.accountOf(interaction);
      const profile = await this.profiles.get(accountId);
      const { telegram } = await this.identities.identitiesOf(profile.accountId);
      const name =
        interaction.member && 'displayName' in interaction.member
          ? interaction.member.displayName
          : interaction.user.username;
      await this.context.answer(interaction, {
        embeds: [profileEmbed(locale, name, profile, Boolean(telegram)).toJSON()],
        ephemeral: true,
      });
    } catch (error) {
      await this.context.fail(interaction, error);
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
