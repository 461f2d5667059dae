import { Injectable } from '@nestjs/common';
import type { ChatInputCommandInteraction } from 'discord.js';
import { AvatarFetcher, type AvatarSource } from '@ttfd/cards';
import { DiscordSettings } from '../discord-settings';

/** Avatars are drawn 184 px wide; Discord serves powers of two. */
const AVATAR_SIZE = 256;

/**
 * A member's picture for the rank card, from Discord's CDN (DISCORD_CDN_BASE): the server
 * avatar when the member set one, else the account's; null (initials) for the default avatar.
 */
@Injectable()
export class DiscordAvatars {
  constructor(
    private readonly settings: DiscordSettings,
    private readonly fetcher: AvatarFetcher,
  ) {}

  sourceOf(interaction: ChatInputCommandInteraction): AvatarSource | null {
    const { user, member, guildId } = interaction;
    const memberAvatar =
      member && 'avatar' in member && typeof member.avatar === 'string' ? member.avatar : null;
    const path =
      memberAvatar && guildId
        ? `guilds/${guildId}/users/${user.id}/avatars/${memberAvatar}`
        : user.avatar
          ? `avatars/${user.id}/${user.avatar}`
          : null;
    if (!path) return null;
    const url = `${this.settings.cdnBase}/${path}.png?size=${AVATAR_SIZE}`;
    return {
      key: `discord:${path}`,
      load: () => this.fetcher.download(url, `of Discord user ${user.id}`),
    };
  }
}
