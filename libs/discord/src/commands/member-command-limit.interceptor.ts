import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { BaseInteraction } from 'discord.js';
import { NecordExecutionContext, type NecordContextType } from 'necord';
import { from, Observable } from 'rxjs';
import { Clock } from '@ttfd/clock';
import { FixedWindowLimiter } from '@ttfd/common';
import { translate } from '@ttfd/i18n';
import { DiscordSettings } from '../discord-settings';
import { CommandContext } from './command-context';

/**
 * Limits every slash command and button per member: DISCORD_COMMANDS_PER_MINUTE, and `/sync` once
 * per DISCORD_SYNC_COOLDOWN_MS (each one reads the member and may change roles, spending the
 * bot's 50 requests/s). A refused interaction gets an ephemeral answer saying when to come
 * back; its handler never runs. Counts live in the bot's process: commands reach one shard.
 */
@Injectable()
export class MemberCommandLimitInterceptor implements NestInterceptor {
  private readonly commands: FixedWindowLimiter;
  /** Null when DISCORD_SYNC_COOLDOWN_MS is 0: no cooldown. */
  private readonly syncs: FixedWindowLimiter | null;

  constructor(
    settings: DiscordSettings,
    private readonly clock: Clock,
    private readonly context: CommandContext,
  ) {
    this.commands = new FixedWindowLimiter(settings.commandsPerMinute, 60_000);
    this.syncs =
      settings.syncCooldownMs > 0 ? new FixedWindowLimiter(1, settings.syncCooldownMs) : null;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<NecordContextType>() !== 'necord') return next.handle();
    const [interaction] = NecordExecutionContext.create(context).getContext<'interactionCreate'>();
    if (!isCommandOrButton(interaction)) return next.handle();
    const member = interaction.user.id;
    const now = this.clock.nowMs();
    const locale = this.context.locale(interaction);
    let refusal: string | null = null;
    const wait = this.commands.hit(member, now);
    if (wait > 0) {
      refusal = translate(locale, 'discord.command.tooFast', { seconds: wait });
    } else if (
      this.syncs &&
      interaction.isChatInputCommand() &&
      interaction.commandName === 'sync'
    ) {
      const syncWait = this.syncs.hit(member, now);
      if (syncWait > 0) {
        refusal = translate(locale, 'discord.sync.tooSoon', {
          seconds: syncWait,
          cooldown: Math.round(this.syncs.windowMs / 1000),
        });
      }
    }
    if (!refusal) return next.handle();
    return from(this.context.answer(interaction, { content: refusal, ephemeral: true }));
  }
}

function isCommandOrButton(
  interaction: BaseInteraction | undefined,
): interaction is Parameters<CommandContext['answer']>[0] {
  return !!interaction && (interaction.isChatInputCommand() || interaction.isButton());
}
