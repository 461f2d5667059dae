import { GatewayIntentBits } from 'discord.js';
import { NecordModuleOptions } from 'necord';
import { restOptions } from './rest/discord-rest';
import { DiscordSettings } from './discord-settings';

/**
 * The gateway intents the bot asks for: guilds (channels, roles, the AFK channel), members
 * (joins for rejoin role restore; privileged), guild messages + message content (message XP
 * needs the text for the anti-spam rules; privileged), voice states (voice XP).
 */
export const DISCORD_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMembers,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.GuildVoiceStates,
];

/**
 * necord's options: commands registered to the community guild only (guild commands update at
 * once; global ones take up to an hour and would show in DMs). REST has the bounded timeouts of
 * every client of ours (restOptions); its `api` points at another server when DISCORD_API_BASE
 * is set, and discord.js then asks that server's `GET /gateway/bot` for the websocket URL, so
 * one variable moves both.
 */
export function necordOptions(settings: DiscordSettings): NecordModuleOptions {
  return {
    token: settings.token,
    intents: DISCORD_INTENTS,
    development: [settings.guildId],
    rest: restOptions(settings),
  };
}
