export * from './discord.module';
export * from './discord-settings';
export * from './discord-client.options';
export { XpRandom } from './messages/xp-random';
export { DiscordRoleGateway } from './roles/discord-role.gateway';
export { DiscordNotifier } from './notify/discord.notifier';
export { VoiceTracker } from './voice/voice-tracker.service';
export { VoiceCreditor } from './voice/voice-creditor';
export { VoiceSessionRepository } from './voice/voice-session.repository';
