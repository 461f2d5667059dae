import { Injectable } from '@nestjs/common';
import { Context, Options, SlashCommand, StringOption, type SlashCommandContext } from 'necord';
import { Clock } from '@ttfd/clock';
import { translate } from '@ttfd/i18n';
import { formatLinkCode, LinkCodes, LinkRedeemer } from '@ttfd/linking';
import { CommandContext } from './command-context';
import { described } from './localized';

export class LinkOptions {
  @StringOption({ name: 'code', required: false, ...described('discord.command.link.code') })
  code?: string;
}

/**
 * `/link code:<CODE>` redeems a code issued by the Telegram bot (the accounts merge, flow 6);
 * `/link` alone issues a code to send to the Telegram bot. Deferred first: a merge moves a
 * whole ledger and may take longer than Discord's 3 seconds.
 */
@Injectable()
export class LinkCommand {
  constructor(
    private readonly codes: LinkCodes,
    private readonly redeemer: LinkRedeemer,
    private readonly context: CommandContext,
    private readonly clock: Clock,
  ) {}

  @SlashCommand({ name: 'link', ...described('discord.command.link') })
  async onLink(
    @Context() [interaction]: SlashCommandContext,
    @Options() { code }: LinkOptions,
  ): Promise<void> {
    const locale = this.context.locale(interaction);
    try {
      if (!(await this.context.defer(interaction, true))) return;
      await this.context.accountOf(interaction);
      if (code && code.trim() !== '') {
        await this.redeemer.redeem('discord', interaction.user.id, code);
        await this.context.answer(interaction, {
          content: translate(locale, 'discord.link.redeemed'),
          ephemeral: true,
        });
        return;
      }
      const issued = await this.codes.issueCode('discord', interaction.user.id);
      const minutes = Math.max(
        1,
        Math.round((issued.expiresAt.getTime() - this.clock.nowMs()) / 60_000),
      );
      await this.context.answer(interaction, {
        content: translate(locale, 'discord.link.issued', {
          code: formatLinkCode(issued.code),
          minutes,
        }),
        ephemeral: true,
      });
    } catch (error) {
      await this.context.fail(interaction, error);
    }
  }
}
