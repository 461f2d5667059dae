import { Injectable, Logger } from '@nestjs/common';
import {
  MessageFlags,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ActionRowBuilder,
  type APIEmbed,
  type ButtonBuilder,
} from 'discord.js';
import { resolveLocale, translate, type Locale } from '@ttfd/i18n';
import { IdentityService } from '@ttfd/linking';
import { domainErrorMessage } from './domain-error.messages';

type AnyInteraction = ChatInputCommandInteraction | ButtonInteraction;

export interface Answer {
  content?: string;
  embeds?: APIEmbed[];
  components?: ActionRowBuilder<ButtonBuilder>[];
  /** Only the member sees it (anything about one player). */
  ephemeral: boolean;
}

/** What every command needs: who is asking, in which language, and a uniform error answer. */
@Injectable()
export class CommandContext {
  private readonly logger = new Logger('DiscordCommands');

  constructor(private readonly identities: IdentityService) {}

  locale(interaction: AnyInteraction): Locale {
    return resolveLocale(interaction.locale);
  }

  /**
   * The invoking member's account, made on first contact (Discord-only players have accounts
   * too). Stores the client's language, which DM notifications use later.
   */
  async accountOf(interaction: AnyInteraction): Promise<string> {
    const { user } = interaction;
    const member = interaction.member;
    const nick = member && 'displayName' in member ? member.displayName : undefined;
    const { accountId } = await this.identities.resolve('discord', user.id, {
      username: user.username,
      displayName: nick ?? user.globalName ?? undefined,
      locale: interaction.locale,
    });
    return accountId;
  }

  /**
   * Answers a refusal with its localized text, a bug with the generic one (and a log line).
   * Works whether the interaction was answered, deferred or neither.
   */
  async fail(interaction: AnyInteraction, error: unknown): Promise<void> {
    const locale = this.locale(interaction);
    const known = domainErrorMessage(error);
    if (!known) {
      this.logger.error(
        `/${interaction.isChatInputCommand() ? interaction.commandName : interaction.customId} failed: ${
          (error as Error).stack ?? String(error)
        }`,
      );
    }
    const content = known
      ? translate(locale, known.key, known.params)
      : translate(locale, 'common.internalError');
    await this.answer(interaction, { content, ephemeral: true });
  }

  /** Replies, or edits the deferred reply (whose ephemerality was fixed when deferring). */
  async answer(interaction: AnyInteraction, answer: Answer): Promise<void> {
    const body = {
      content: answer.content ?? null,
      embeds: answer.embeds ?? [],
      components: answer.components ?? [],
    };
    if (interaction.deferred || interaction.replied) {
      await interaction.editReply(body);
    } else {
      await interaction.reply({
        ...body,
        content: answer.content,
        flags: answer.ephemeral ? MessageFlags.Ephemeral : undefined,
      });
    }
  }
}
