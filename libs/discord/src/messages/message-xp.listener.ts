import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Client, Message } from 'discord.js';
import { Clock } from '@ttfd/clock';
import { LedgerService, XpRules } from '@ttfd/economy';
import { IdentityService } from '@ttfd/linking';
import { DiscordSettings } from '../discord-settings';
import { onClientEvent } from '../gateway/client-events';
import { judgeMessage } from './message-filter';
import { MessageXpGate } from './message-xp.gate';
import { XpRandom } from './xp-random';

/**
 * Message XP (flow 7): a filtered message passes the per-member cooldown and repeat gate, then
 * is paid once under `discord:msg:{messageId}` (a re-delivered message cannot pay twice).
 * The rules live in the filter, the gate and the ledger; this only wires them to the gateway.
 */
@Injectable()
export class MessageXpListener implements OnModuleInit {
  private readonly logger = new Logger(MessageXpListener.name);

  constructor(
    private readonly settings: DiscordSettings,
    private readonly gate: MessageXpGate,
    private readonly random: XpRandom,
    private readonly identities: IdentityService,
    private readonly ledger: LedgerService,
    private readonly clock: Clock,
    private readonly client: Client,
    private readonly rules: XpRules,
  ) {}

  onModuleInit(): void {
    onClientEvent(this.client, 'messageCreate', this.logger, (message) => this.handle(message));
  }

  /** Resolves to what happened, for logs and tests. */
  async handle(message: Message): Promise<'paid' | 'skipped'> {
    const verdict = judgeMessage(
      {
        guildId: message.guildId,
        channelId: message.channelId,
        authorIsBot: message.author.bot,
        webhookId: message.webhookId,
        system: message.system,
        content: message.content,
      },
      { guildId: this.settings.guildId, minChars: this.settings.messageMinChars },
    );
    if (!verdict.earns) return 'skipped';

    const now = this.clock.nowMs();
    // The stored XP rules (channel, role, event; DISCORD_NO_XP_CHANNEL_IDS as the default),
    // from this process's cache: no query. A no-XP channel or role spends no cooldown.
    const amount = this.rules.apply({
      source: 'discord_message',
      base: this.random.between(this.settings.messageXp.min, this.settings.messageXp.max),
      at: new Date(now),
      channelId: message.channelId,
      roleIds: message.member ? [...message.member.roles.cache.keys()] : [],
      defaultNoXpChannelIds: this.settings.noXpChannelIds,
    });
    if (!amount.earns) return 'skipped';

    const gate = await this.gate.check(
      message.author.id,
      verdict.normalized,
      now,
      this.settings.messageCooldownMs,
      message.id,
    );
    if (gate !== 'pass') return 'skipped';

    try {
      const { accountId } = await this.identities.resolve('discord', message.author.id, {
        username: message.author.username,
        displayName: message.member?.displayName ?? message.author.globalName ?? undefined,
      });
      await this.ledger.award({
        accountId,
        xp: amount.xp,
        metadata: amount.metadata,
        reason: 'discord_message',
        source: 'discord',
        idempotencyKey: `discord:msg:${message.id}`,
        entityId: message.id,
      });
    } catch (error) {
      // Not paid: the cooldown this message reserved is given back (best effort: the award's
      // failure is the one to report).
      await this.gate.release(message.author.id, now, message.id).catch((releaseError: Error) => {
        this.logger.warn(`Message XP cooldown not given back: ${releaseError.message}`);
      });
      throw error;
    }
    return 'paid';
  }
}
