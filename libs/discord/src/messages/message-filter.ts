/**
 * Which messages may earn XP at all (flow 7), before any state is consulted. Pure, so the
 * anti-spam rules are tested without Discord.
 */
export interface IncomingMessage {
  guildId: string | null;
  channelId: string;
  authorIsBot: boolean;
  /** Set when a webhook posted it (no member behind it). */
  webhookId: string | null;
  /** System messages (joins, boosts, pins) are not written by the member. */
  system: boolean;
  content: string;
}

/** No-XP channels and roles are the XP rules' (applyXpRules), decided after this filter. */
export interface MessageRules {
  guildId: string;
  minChars: number;
}

export type MessageVerdict =
  | { earns: true; normalized: string }
  | {
      earns: false;
      why: 'dm' | 'other_guild' | 'bot' | 'webhook' | 'system' | 'too_short';
    };

/** Case, accents' composition and spacing do not make a message new: "GG  wp" repeats "gg wp". */
export function normalizeText(content: string): string {
  return content.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Non-space characters, counted by code point so that one emoji is one character. */
export function visibleLength(content: string): number {
  return [...content.replace(/\s+/g, '')].length;
}

export function judgeMessage(message: IncomingMessage, rules: MessageRules): MessageVerdict {
  if (message.guildId === null) return { earns: false, why: 'dm' };
  if (message.guildId !== rules.guildId) return { earns: false, why: 'other_guild' };
  if (message.webhookId !== null) return { earns: false, why: 'webhook' };
  if (message.authorIsBot) return { earns: false, why: 'bot' };
  if (message.system) return { earns: false, why: 'system' };
  if (visibleLength(message.content) < rules.minChars) return { earns: false, why: 'too_short' };
  return { earns: true, normalized: normalizeText(message.content) };
}
