/** Public API of the fake Discord (REST + gateway on loopback) for e2e tests and fault drills. */
export { FakeDiscord, type FakeDiscordOptions, type SendMessageInput } from './fake-discord';
export { InteractionHandle } from './interaction-handle';
export type {
  InteractionStormHits,
  InteractionStormKind,
  InteractionStormMix,
} from './interaction-storm';
export type {
  ButtonSpec,
  CommandOptionValue,
  InteractionSpec,
  SlashCommandSpec,
} from './interactions';
export { buildDefaultGuild, buildUser, type DefaultGuild } from './builders';
export { SnowflakeGenerator, compareSnowflakes, snowflakeTimestamp } from './snowflake';
export { Intent, type PrivilegedIntents } from './intents';
export { Permission } from './permissions';
export type { VoicePatch } from './world';
export {
  GLOBAL_RATE_LIMIT,
  MEMBER_ROLE_BUCKET,
  type RateLimitConfig,
  type RateLimitScope,
} from './rate-limits';
export type { MemberCallCount } from './member-calls';
export { waitFor } from './wait';
export type {
  AfkTimeout,
  ChannelKind,
  ChannelSeed,
  FakeUser,
  GuildSeed,
  InjectedFailure,
  InteractionReply,
  InteractionReplyKind,
  MemberSeed,
  RestCall,
  RoleCall,
  RoleSeed,
  RouteMatcher,
} from './types';
