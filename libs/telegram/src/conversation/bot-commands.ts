import type { BotCommand } from 'telegraf/types';
import { Locale, MessageKey, translate } from '@ttfd/i18n';

/** The commands shown in Telegram's menu (admin-only /stats is left out on purpose). */
export const MENU_COMMANDS = [
  'start',
  'help',
  'profile',
  'games',
  'daily',
  'top',
  'settings',
  'link',
  'unlink',
] as const;

/** Every command the bot answers; anything else is "unknown". */
export const KNOWN_COMMANDS: ReadonlySet<string> = new Set([...MENU_COMMANDS, 'stats']);

export function botCommands(locale: Locale): BotCommand[] {
  return MENU_COMMANDS.map((command) => ({
    command,
    description: translate(locale, `telegram.command.${command}` as MessageKey),
  }));
}

/** `/cmd@botname args` -> `cmd`, or undefined when the text is not a command. */
export function commandOf(text: string): string | undefined {
  const match = /^\/([A-Za-z0-9_]+)(?:@\w+)?(?:\s|$)/.exec(text);
  return match?.[1].toLowerCase();
}

/** The text after the command, trimmed (`/link ABC` -> `ABC`). */
export function commandArgs(text: string): string {
  return text.replace(/^\/\S+\s*/, '').trim();
}
