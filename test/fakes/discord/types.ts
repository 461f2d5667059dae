/**
 * Public shapes of the fake: what tests hand in (seeds, users) and what they read back
 * (recorded calls, interaction replies). Wire payloads use discord-api-types (re-exported by
 * discord.js) so the compiler checks them against the protocol the client expects.
 */
import type { APIMessage } from 'discord.js';

export type JsonObject = Record<string, unknown>;

export interface FakeUser {
  id: string;
  username: string;
  globalName?: string | null;
  bot?: boolean;
  /** Avatar hash (set with FakeDiscord.setAvatar; the CDN then serves the picture). */
  avatar?: string | null;
}

export interface RoleSeed {
  id: string;
  name: string;
  /** Higher is stronger; the bot can only add or remove roles below its own highest role. */
  position: number;
  /** Permission bit set as a decimal string, as the API sends it. */
  permissions: string;
  color?: number;
  hoist?: boolean;
  mentionable?: boolean;
  /** Set for the role Discord creates for a bot when it joins; such roles are "managed". */
  botId?: string;
}

export type ChannelKind = 'text' | 'voice';

export interface ChannelSeed {
  id: string;
  name: string;
  kind: ChannelKind;
  position: number;
}

export interface MemberSeed {
  user: FakeUser;
  /** Role ids without @everyone, like the API. */
  roles: string[];
  nick?: string | null;
  joinedAt?: string;
}

export type AfkTimeout = 60 | 300 | 900 | 1800 | 3600;

export interface GuildSeed {
  id: string;
  name: string;
  ownerId: string;
  /** Must contain @everyone, whose id equals the guild id. */
  roles: RoleSeed[];
  channels: ChannelSeed[];
  members: MemberSeed[];
  afkChannelId: string | null;
  afkTimeout: AfkTimeout;
  systemChannelId?: string | null;
  preferredLocale?: string;
}

/** One REST request as the fake saw it. `path` has no `/api/v10` prefix and no query. */
export interface RestCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** HTTP status answered; 0 for a request an interaction storm held and never answered. */
  status: number;
  at: number;
  auditLogReason?: string;
  /** True when this answer was a failure injected with `failNext` or an interaction storm. */
  injected: boolean;
}

/** A request on a member's roles: single-role PUT / DELETE, or a whole-member PATCH. */
export interface RoleCall {
  method: 'PUT' | 'DELETE' | 'PATCH';
  guildId: string;
  userId: string;
  /** Set for PUT / DELETE. */
  roleId?: string;
  /** Set for a PATCH whose body carried a full role list (the thing we must never do). */
  roles?: string[];
  status: number;
  at: number;
}

export type InteractionReplyKind = 'callback' | 'edit' | 'followup' | 'delete';

/** Everything the app said back to one interaction, in order. */
export interface InteractionReply {
  kind: InteractionReplyKind;
  /** Interaction callback type for `callback` (4 reply, 5 deferred, 6 deferred update, 7 update). */
  callbackType?: number;
  /** The body the app sent (callback `data`, or the webhook message body). */
  data: JsonObject;
  /** The message this reply created or changed, as the fake stores it now. */
  message?: APIMessage;
  at: number;
}

/** Matches REST calls: `'PUT /guilds/:g/members/:u/roles/:r'` (`:x` or `*` = one segment),
 * an object form, or a predicate. */
export type RouteMatcher =
  | string
  | { method?: string; path: string | RegExp }
  | ((call: { method: string; path: string }) => boolean);

export interface InjectedFailure {
  /** 429 answers like Discord's rate limiter; any other status answers with a JSON error. */
  status: number;
  /** For 429: seconds the client must wait (fractions allowed to keep tests fast). */
  retryAfterSeconds?: number;
  /** For 429: a global rate limit instead of a per-route one. */
  global?: boolean;
  /** For non-429 errors: the Discord JSON error code and message. */
  code?: number;
  message?: string;
  /**
   * The request reaches Discord's state (the role is set, the message created) and only the
   * answer is this failure: a lost response, after which a client's retry repeats a done write.
   */
  afterApplying?: boolean;
  /**
   * With `afterApplying`: no answer at all (the connection stays open until the client gives up
   * or the fake stops): Discord acted and the answer was lost on the way, the window in which a
   * killed worker's successor repeats a done write.
   */
  noAnswer?: boolean;
}
