import { Injectable, Logger } from '@nestjs/common';
import {
  DiscordAPIError,
  HTTPError,
  MessageFlags,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ActionRowBuilder,
  type APIEmbed,
  type AttachmentPayload,
  type ButtonBuilder,
} from 'discord.js';
import { describeError } from '@ttfd/common';
import { resolveLocale, translate, type Locale } from '@ttfd/i18n';
import { IdentityService } from '@ttfd/linking';
import { refusalMessage } from '@ttfd/presenter';
import { DiscordSettings } from '../discord-settings';

type AnyInteraction = ChatInputCommandInteraction | ButtonInteraction;

export interface Answer {
  content?: string;
  embeds?: APIEmbed[];
  components?: ActionRowBuilder<ButtonBuilder>[];
  /** Attached files (a rank card): uploaded with the reply, or replacing the deferred one's. */
  files?: AttachmentPayload[];
  /** Only the member sees it (anything about one player). */
  ephemeral: boolean;
}

/** What every command needs: who is asking, in which language, and a uniform error answer. */
@Injectable()
export class CommandContext {
  private readonly logger = new Logger('DiscordCommands');

  constructor(
    private readonly identities: IdentityService,
    private readonly settings: DiscordSettings,
  ) {}

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
   * Defers the reply (for work that may take longer than Discord's 3 seconds). False when the
   * interaction can no longer be answered (10062 Unknown interaction: too late, or its token
   * expired; Discord in trouble): the caller stops, since nobody would see the result.
   */
  async defer(interaction: AnyInteraction, ephemeral: boolean): Promise<boolean> {
    return this.deliver(interaction, 'defer', () =>
      interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
    );
  }

  /**
   * Answers a refusal with its localized text, a bug with the generic one (and a log line).
   * Works whether the interaction was answered, deferred or neither.
   */
  async fail(interaction: AnyInteraction, error: unknown): Promise<void> {
    const locale = this.locale(interaction);
    const known = refusalMessage(error, 'discord', this.settings.timeZone, locale);
    if (!known) {
      this.logger.error(
        `${commandOf(interaction)} failed: ${(error as Error).stack ?? String(error)}`,
      );
    }
    const content = known
      ? translate(locale, known.key, known.params)
      : translate(locale, 'common.internalError');
    await this.answer(interaction, { content, ephemeral: true });
  }

  /**
   * Replies, or edits the deferred reply (whose ephemerality was fixed when deferring). Never
   * throws: an answer Discord refuses or never takes is logged once and dropped (see deliver).
   */
  async answer(interaction: AnyInteraction, answer: Answer): Promise<boolean> {
    const body = {
      content: answer.content ?? null,
      embeds: answer.embeds ?? [],
      components: answer.components ?? [],
      ...(answer.files ? { files: answer.files } : {}),
    };
    if (interaction.deferred || interaction.replied) {
      return this.deliver(interaction, 'edit the reply', () => interaction.editReply(body));
    }
    return this.deliver(interaction, 'reply', () =>
      interaction.reply({
        ...body,
        content: answer.content,
        flags: answer.ephemeral ? MessageFlags.Ephemeral : undefined,
      }),
    );
  }

  /** A button's answer: replaces the message the button is on. Never throws, like answer. */
  async update(
    interaction: ButtonInteraction,
    answer: Omit<Answer, 'ephemeral'>,
  ): Promise<boolean> {
    return this.deliver(interaction, 'update the message', () =>
      interaction.update({
        content: answer.content ?? null,
        embeds: answer.embeds ?? [],
        components: answer.components ?? [],
      }),
    );
  }

  /**
   * Every response to an interaction goes through here. Discord refuses some every week (10062
   * when a command was not acknowledged within 3 s or its token expired, a 5xx on an edit, a
   * timeout): the member can no longer be told anything, so trying again (or answering the
   * failure with another reply) only throws again. One warning with Discord's code and the
   * command; the result is dropped.
   */
  private async deliver(
    interaction: AnyInteraction,
    what: string,
    call: () => Promise<unknown>,
  ): Promise<boolean> {
    try {
      await call();
      return true;
    } catch (error) {
      const code =
        error instanceof DiscordAPIError
          ? ` (Discord code ${error.code}, HTTP ${error.status})`
          : error instanceof HTTPError
            ? ` (HTTP ${error.status})`
            : '';
      this.logger.warn(
        `${commandOf(interaction)}: could not ${what}${code}, answer dropped: ${describeError(error)}`,
      );
      return false;
    }
  }
}

/** `/profile` for a slash command, `button unlink/...` for a button. */
function commandOf(interaction: AnyInteraction): string {
  return interaction.isChatInputCommand()
    ? `/${interaction.commandName}`
    : `button ${interaction.customId}`;
}
