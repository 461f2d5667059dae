/**
 * A fake Discord for e2e tests: a real REST server and a real gateway on 127.0.0.1 that the
 * real discord.js client (and necord on top of it) talks to without knowing it is a fake.
 *
 *   const fake = await FakeDiscord.start();
 *   const client = new Client({ intents, rest: { api: fake.apiBase } });
 *   await client.login(fake.token);
 *
 * Tests drive users through helpers that emit gateway events (messages, voice, members,
 * interactions), read what the app did through recorded REST calls and the fake's state, and
 * inject Discord's failures (429, 5xx).
 */
import { createHash } from 'node:crypto';
import type { APIApplicationCommand, APIMessage } from 'discord.js';
import { buildDefaultGuild, buildUser, type DefaultGuild } from './builders';
import { FailureInjector } from './failures';
import { GatewayServer } from './gateway-server';
import { createInteraction, type InteractionSpec } from './interactions';
import { InteractionHandle } from './interaction-handle';
import {
  InteractionStorm,
  type InteractionStormHits,
  type InteractionStormMix,
} from './interaction-storm';
import { applicationFlagsFor, type PrivilegedIntents } from './intents';
import {
  GLOBAL_RATE_LIMIT,
  MEMBER_ROLE_BUCKET,
  RateLimits,
  type RateLimitConfig,
  type RateLimitScope,
} from './rate-limits';
import { RestRouter } from './rest-router';
import { RestServer, type RestUpload } from './rest-server';
import { MemberCalls, type MemberCallCount } from './member-calls';
import { toRoleCalls } from './role-calls';
import { matchesRoute } from './route-pattern';
import type { RouteContext } from './route-context';
import { registerApplicationRoutes } from './routes-application';
import { registerGuildRoutes } from './routes-guilds';
import { registerInteractionRoutes } from './routes-interactions';
import { registerMessageRoutes } from './routes-messages';
import { SnowflakeGenerator } from './snowflake';
import { FakeDiscordState, type GuildRecord } from './state';
import type {
  FakeUser,
  GuildSeed,
  InjectedFailure,
  InteractionReply,
  RestCall,
  RoleCall,
  RoleSeed,
  RouteMatcher,
} from './types';
import { waitFor } from './wait';
import { FakeWorld, type VoicePatch } from './world';

export interface FakeDiscordOptions {
  /** Bot token the fake accepts (REST `Authorization: Bot <token>` and IDENTIFY). */
  token?: string;
  botUsername?: string;
  /** HELLO heartbeat interval. Discord uses ~41 s; small values exercise heartbeats, but a
   * value below the longest event-loop stall of the test (app boot) makes discord.js think the
   * connection is a zombie and resume. */
  heartbeatIntervalMs?: number;
  /** Deadline for an interaction's first callback (Discord: 3 s). */
  interactionTimeoutMs?: number;
  /**
   * How long a message nonce sent with `enforce_nonce: true` is remembered per author; a repeat
   * within it returns the first message (Discord: a few minutes; default 3 minutes).
   */
  nonceWindowMs?: number;
  /** Each route's bucket per major parameter (default 50 per second). */
  rateLimit?: Partial<RateLimitConfig>;
  /**
   * Discord's global limit per bot token (default on: 50 per second); false turns it off, e.g.
   * for a benchmark that measures the app rather than Discord's budget.
   */
  globalRateLimit?: Partial<RateLimitConfig> | false;
  /**
   * The member-role bucket per guild shared by PUT and DELETE of a member's role (off by
   * default; `{}` turns it on with MEMBER_ROLE_BUCKET, 10 per 10 s; see rate-limits.ts).
   */
  memberRoleBucket?: Partial<RateLimitConfig> | false;
  /**
   * How long every call about one member (reading it, changing its roles) is held before its
   * answer (default 0). Real Discord answers in tens of ms; a longer call widens the window in
   * which two calls for the same member overlap (memberCallCounts).
   */
  memberCallLatencyMs?: number;
  /** Privileged intents enabled for the application; a session asking for others gets 4014. */
  privilegedIntents?: Partial<PrivilegedIntents>;
  /** Replace the default guild with your own world. */
  guilds?: (ids: SnowflakeGenerator, bot: FakeUser) => GuildSeed[];
}

export interface SendMessageInput {
  channelId: string;
  author: FakeUser;
  content: string;
  /** Marks the message as sent by a webhook: `webhook_id` set, no member. */
  webhookId?: string;
  /** Checked against the channel's guild when given. */
  guildId?: string;
}

const LOOPBACK = '127.0.0.1';

/** Everything one running fake is made of, built by `start`. */
interface FakeDiscordParts {
  token: string;
  bot: FakeUser;
  ids: SnowflakeGenerator;
  defaultGuild: DefaultGuild | undefined;
  world: FakeWorld;
  gateway: GatewayServer;
  rest: RestServer;
  recorded: RestCall[];
  restProblems: string[];
  failures: FailureInjector;
  storm: InteractionStorm;
  cdnFiles: Map<string, Buffer>;
  cdnRequests: string[];
  uploads: RestUpload[];
  rateLimits: RateLimits;
  memberCalls: MemberCalls;
}

export class FakeDiscord {
  readonly token: string;
  readonly bot: FakeUser;
  readonly ids: SnowflakeGenerator;

  private constructor(private readonly parts: FakeDiscordParts) {
    this.token = parts.token;
    this.bot = parts.bot;
    this.ids = parts.ids;
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const ids = new SnowflakeGenerator();
    const bot = buildUser(ids, options.botUsername ?? 'TTFD Sync', { bot: true });
    // Real tokens start with the base64 bot id; nothing should rely on it, but nothing breaks.
    const token =
      options.token ?? `${Buffer.from(bot.id).toString('base64url')}.fake.${ids.next()}`;
    const privileged: PrivilegedIntents = {
      guildMembers: true,
      guildPresences: true,
      messageContent: true,
      ...options.privilegedIntents,
    };
    const defaultGuild = options.guilds ? undefined : buildDefaultGuild(ids, bot);
    const seeds = options.guilds ? options.guilds(ids, bot) : [defaultGuild!.seed];

    const state = new FakeDiscordState(bot);
    const now = new Date().toISOString();
    for (const seed of seeds) state.addGuild(seed, now);

    const applicationId = bot.id; // for bots created today the application id is the bot's user id
    const applicationFlags = applicationFlagsFor(privileged);
    const gateway = await GatewayServer.start({
      host: LOOPBACK,
      token,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 5_000,
      privileged,
      state,
      applicationId,
      applicationFlags,
    });
    const world = new FakeWorld(state, ids, gateway, applicationId);

    const router = new RestRouter();
    const ctx: RouteContext = {
      world,
      gatewayUrl: () => gateway.url,
      identifyCount: () => gateway.identifyCount,
      applicationFlags,
      interactionTimeoutMs: options.interactionTimeoutMs ?? 3_000,
      nonceWindowMs: options.nonceWindowMs ?? 180_000,
    };
    registerApplicationRoutes(router, ctx);
    registerGuildRoutes(router, ctx);
    registerMessageRoutes(router, ctx);
    registerInteractionRoutes(router, ctx);

    const recorded: RestCall[] = [];
    const restProblems: string[] = [];
    const failures = new FailureInjector();
    const storm = new InteractionStorm(applicationId);
    const cdnFiles = new Map<string, Buffer>();
    const cdnRequests: string[] = [];
    const uploads: RestUpload[] = [];
    const rateLimits = new RateLimits({
      perRoute: { limit: 50, windowMs: 1_000, ...options.rateLimit },
      global: limitOrOff(GLOBAL_RATE_LIMIT, options.globalRateLimit ?? {}),
      memberRoles: limitOrOff(MEMBER_ROLE_BUCKET, options.memberRoleBucket ?? false),
    });
    const memberCalls = new MemberCalls(options.memberCallLatencyMs ?? 0);
    let rest: RestServer;
    try {
      rest = await RestServer.start({
        host: LOOPBACK,
        token,
        router,
        failures,
        storm,
        rateLimits,
        memberCalls,
        onCall: (call) => recorded.push(call),
        onProblem: (problem) => restProblems.push(problem),
        cdn: (path) => {
          cdnRequests.push(path);
          return cdnFiles.get(path.replace(/\.png$/, ''));
        },
        onUpload: (upload) => uploads.push(upload),
      });
    } catch (error) {
      await gateway.stop();
      throw error;
    }
    return new FakeDiscord({
      token,
      bot,
      ids,
      defaultGuild,
      world,
      gateway,
      rest,
      recorded,
      restProblems,
      failures,
      storm,
      cdnFiles,
      cdnRequests,
      uploads,
      rateLimits,
      memberCalls,
    });
  }

  private get world(): FakeWorld {
    return this.parts.world;
  }

  private get gateway(): GatewayServer {
    return this.parts.gateway;
  }

  // ---- addresses -------------------------------------------------------------------------

  /** `rest.api` for discord.js (`http://127.0.0.1:<port>/api`; it appends `/v10`). */
  get apiBase(): string {
    return this.parts.rest.apiBase;
  }

  /** Base of the fake CDN for DISCORD_CDN_BASE: serves the avatars set with setAvatar. */
  get cdnBase(): string {
    return this.parts.rest.cdnBase;
  }

  /**
   * The user uploads a new account avatar: payloads carry its hash from now on, and the CDN
   * serves `bytes` at `/avatars/<user>/<hash>.png`. Returns the hash.
   */
  setAvatar(userId: string, bytes: Buffer): string {
    const user = this.world.state.requireUser(userId);
    const hash = createHash('md5').update(bytes).digest('hex');
    this.world.state.users.set(userId, { ...user, avatar: hash });
    this.parts.cdnFiles.set(`avatars/${userId}/${hash}`, bytes);
    return hash;
  }

  /** Files the app uploaded (attachments of replies and messages), oldest first. */
  uploads(): RestUpload[] {
    return this.parts.uploads.map((upload) => ({ ...upload }));
  }

  /** Paths the CDN was asked for (without the query), oldest first. */
  cdnRequests(): string[] {
    return [...this.parts.cdnRequests];
  }

  /** The gateway URL handed out by `GET /gateway/bot` (`ws://127.0.0.1:<port>`). */
  get gatewayUrl(): string {
    return this.gateway.url;
  }

  /** Client options to spread into `new Client({...})` or necord's options. */
  get clientOptions(): { rest: { api: string } } {
    return { rest: { api: this.apiBase } };
  }

  get applicationId(): string {
    return this.world.applicationId;
  }

  /** Ids of the default guild, its users, roles and channels (absent with custom `guilds`). */
  get guild(): DefaultGuild {
    const { defaultGuild } = this.parts;
    if (!defaultGuild)
      throw new Error('fake discord: started with custom guilds, no default guild');
    return defaultGuild;
  }

  // ---- things users do (gateway events) -------------------------------------------------

  /** A user known to Discord but in no guild yet. */
  createUser(
    username: string,
    options: { bot?: boolean; globalName?: string | null } = {},
  ): FakeUser {
    const user = buildUser(this.ids, username, options);
    this.world.state.users.set(user.id, user);
    return user;
  }

  sendMessage(input: SendMessageInput): APIMessage {
    const location = this.world.state.locateChannel(input.channelId);
    if (!location) throw new Error(`fake discord: unknown channel ${input.channelId}`);
    if (
      input.guildId !== undefined &&
      (location.kind !== 'guild' || location.guild.id !== input.guildId)
    ) {
      throw new Error(`fake discord: channel ${input.channelId} is not in guild ${input.guildId}`);
    }
    if (!this.world.state.users.has(input.author.id))
      this.world.state.users.set(input.author.id, input.author);
    return this.world.createMessage({
      channelId: input.channelId,
      author: input.author,
      content: input.content,
      ...(input.webhookId !== undefined ? { webhookId: input.webhookId } : {}),
    });
  }

  /** Join, move, mute, deafen or leave (`channelId: null`); unspecified flags keep their value. */
  voiceStateUpdate(userId: string, patch: VoicePatch & { guildId?: string }): void {
    this.world.updateVoice(this.guildFor(userId, patch.guildId), userId, patch);
  }

  memberJoin(
    user: FakeUser,
    options: { guildId?: string; roles?: string[]; nick?: string | null } = {},
  ): FakeUser {
    this.world.addMember(this.pickGuild(options.guildId), user, options);
    return user;
  }

  memberLeave(userId: string, guildId?: string): void {
    this.world.removeMember(this.guildFor(userId, guildId), userId);
  }

  /** A slash command (`kind: 'command'`) or button press (`kind: 'button'`) by a member. */
  interaction(spec: InteractionSpec): InteractionHandle {
    return new InteractionHandle(
      createInteraction(this.world, this.gateway, spec),
      this.world.state,
    );
  }

  /** Roles changed by hand in Discord's UI: no REST call is recorded, bots get GUILD_MEMBER_UPDATE. */
  setMemberRoles(guildId: string, userId: string, roles: string[]): void {
    this.world.setMemberRoles(this.world.state.requireGuild(guildId), userId, roles);
  }

  addRole(
    guildId: string,
    role: { name: string; position?: number; permissions?: string },
  ): RoleSeed {
    const guild = this.world.state.requireGuild(guildId);
    // New roles land just above @everyone on Discord; we put them below the bot by default.
    const position = role.position ?? Math.max(1, this.world.state.botTopPosition(guild) - 1);
    return this.world.addRole(guild, {
      name: role.name,
      position,
      permissions: role.permissions ?? '0',
    });
  }

  /** The user refuses DMs from the bot: creating the DM works, sending to it gets 50007. */
  closeDms(userId: string): void {
    this.world.state.closedDms.add(userId);
  }

  // ---- failures ---------------------------------------------------------------------------

  /** The next `times` requests matching `matcher` fail, e.g.
   * `failNext('PUT /guilds/:g/members/:u/roles/:r', { status: 429, retryAfterSeconds: 1 })`. */
  failNext(matcher: RouteMatcher, failure: InjectedFailure, times = 1): void {
    this.parts.failures.add(matcher, failure, times);
  }

  /** Discord's global limit from the next request: a rate (`{ limit, windowMs }`) or off. */
  setGlobalRateLimit(config: Partial<RateLimitConfig> | false): void {
    this.parts.rateLimits.setGlobal(limitOrOff(GLOBAL_RATE_LIMIT, config));
  }

  /** The member-role bucket per guild from the next request: a size or off. */
  setMemberRoleBucket(config: Partial<RateLimitConfig> | false): void {
    this.parts.rateLimits.setMemberRoles(limitOrOff(MEMBER_ROLE_BUCKET, config));
  }

  /** Responses 429 the fake's limits gave (not injected ones), by scope. */
  rateLimitedCounts(): Record<RateLimitScope, number> {
    return this.parts.rateLimits.refusedCounts();
  }

  clearFailures(): void {
    this.parts.failures.clear();
  }

  pendingFailures(): number {
    return this.parts.failures.pending();
  }

  /**
   * Until `endInteractionStorm`, every interaction callback and every edit / follow-up on an
   * interaction webhook answers 10062 Unknown interaction, 500, or hangs, in turns weighted by
   * `mix`, e.g. `{ unknownInteraction: 2, serverError: 1, hang: 1 }` (see interaction-storm.ts).
   * Other routes (roles, members, DMs) are untouched.
   */
  beginInteractionStorm(mix: InteractionStormMix): void {
    this.parts.storm.begin(mix);
  }

  /** Interaction answers reach the fake again; requests the storm held lose their socket. */
  endInteractionStorm(): void {
    this.parts.storm.end();
  }

  /** How many answers of each kind the current (or last) storm gave. */
  interactionStormHits(): InteractionStormHits {
    return this.parts.storm.counts();
  }

  // ---- inspection -------------------------------------------------------------------------

  calls(matcher?: RouteMatcher): RestCall[] {
    return this.parts.recorded.filter(
      (c) => matcher === undefined || matchesRoute(matcher, c.method, c.path),
    );
  }

  clearCalls(): void {
    this.parts.recorded.length = 0;
  }

  /** Role PUT / DELETE and member PATCH calls in order. By default only the ones Discord
   * applied (2xx); `includeFailed` adds 429s, 5xx and refusals, e.g. to count attempts. */
  roleCalls(options: { includeFailed?: boolean } = {}): RoleCall[] {
    return toRoleCalls(this.parts.recorded, this.bot.id, options.includeFailed ?? false);
  }

  /**
   * Per member that got calls (read, role PUT / DELETE, PATCH): how many, and how many arrived
   * while another call for the same member was still in flight (0 unless two convergences of
   * one member ran at once).
   */
  memberCallCounts(): MemberCallCount[] {
    return this.parts.memberCalls.snapshot();
  }

  /** The member's role ids (without @everyone), or undefined when not a member. */
  memberRoles(guildId: string, userId: string): string[] | undefined {
    const roles = this.world.state.guilds.get(guildId)?.members.get(userId)?.roles;
    return roles ? [...roles] : undefined;
  }

  voiceChannelOf(guildId: string, userId: string): string | null {
    return this.world.state.guilds.get(guildId)?.voice.get(userId)?.channelId ?? null;
  }

  interactionReplies(interactionId: string): InteractionReply[] {
    return [...(this.world.state.interactions.get(interactionId)?.replies ?? [])];
  }

  /** Non-ephemeral messages in a channel, oldest first. */
  channelMessages(channelId: string): APIMessage[] {
    return [...(this.world.state.messages.get(channelId) ?? [])];
  }

  /** Messages created per nonce the bot sent (any channel): a count above 1 is a repeat. */
  messagesPerNonce(): number[] {
    return [...this.world.state.createdByNonce.values()];
  }

  /** The id of the user's DM channel, once the bot opened it. */
  dmChannelOf(userId: string): string | undefined {
    return this.world.state.dmChannels.get(userId);
  }

  /** Messages the bot sent to a user's DM channel, oldest first. */
  dms(userId: string): APIMessage[] {
    const channelId = this.world.state.dmChannels.get(userId);
    return channelId ? this.channelMessages(channelId) : [];
  }

  commands(guildId?: string): APIApplicationCommand[] {
    return [
      ...(guildId
        ? (this.world.state.guildCommands.get(guildId) ?? [])
        : this.world.state.globalCommands),
    ];
  }

  /** Gateway sessions with a live connection (e.g. 2 when two app instances are up). */
  connectedSessions(): number {
    return this.gateway.connectedSessionCount();
  }

  /** Protocol slips the fake refused and REST handler crashes: should stay empty. */
  problems(): string[] {
    return [...this.gateway.protocolErrors, ...this.parts.restProblems];
  }

  // ---- waits ------------------------------------------------------------------------------

  waitFor<T>(
    probe: () => T | undefined | null | false,
    timeoutMs = 5_000,
    what?: string,
  ): Promise<T> {
    return waitFor(probe, timeoutMs, what);
  }

  waitForRoleCall(
    match: Partial<Pick<RoleCall, 'method' | 'guildId' | 'userId' | 'roleId'>>,
    timeoutMs = 5_000,
  ): Promise<RoleCall> {
    const matches = (c: RoleCall) =>
      (Object.keys(match) as (keyof typeof match)[]).every(
        (key) => match[key] === undefined || c[key] === match[key],
      );
    return waitFor(
      () => this.roleCalls().find(matches),
      timeoutMs,
      `role call ${JSON.stringify(match)}`,
    );
  }

  waitForInteractionReply(interactionId: string, timeoutMs = 5_000): Promise<InteractionReply> {
    return waitFor(
      () => this.interactionReplies(interactionId)[0],
      timeoutMs,
      `a reply to interaction ${interactionId}`,
    );
  }

  waitForSessions(count: number, timeoutMs = 5_000): Promise<number> {
    return waitFor(
      () => this.connectedSessions() >= count && this.connectedSessions(),
      timeoutMs,
      `${count} gateway sessions`,
    );
  }

  // ---- connection control -----------------------------------------------------------------

  /** Drop every gateway connection with a resumable close code (default 4000); clients RESUME. */
  disconnectAll(code?: number): void {
    this.gateway.disconnectAll(code);
  }

  /** Send op 7 RECONNECT to every connection. */
  requestReconnect(): void {
    this.gateway.requestReconnect();
  }

  /** Op 9 to everyone and forget all sessions: clients must IDENTIFY again (fresh GUILD_CREATE). */
  invalidateSessions(): void {
    this.gateway.invalidateSessions();
  }

  /** Close all sockets and both servers at once (jest must see no open handles). */
  async stop(): Promise<void> {
    this.parts.storm.end();
    await Promise.all([this.gateway.stop(), this.parts.rest.stop()]);
  }

  private pickGuild(guildId: string | undefined): GuildRecord {
    if (guildId !== undefined) return this.world.state.requireGuild(guildId);
    const first = [...this.world.state.guilds.values()][0];
    if (!first) throw new Error('fake discord: no guilds');
    return first;
  }

  private guildFor(userId: string, guildId: string | undefined): GuildRecord {
    if (guildId !== undefined) return this.world.state.requireGuild(guildId);
    return this.world.state.guildOf(userId) ?? this.pickGuild(undefined);
  }
}

function limitOrOff(
  defaults: RateLimitConfig,
  config: Partial<RateLimitConfig> | false,
): RateLimitConfig | null {
  if (config === false) return null;
  const limit = { ...defaults, ...config };
  if (!(limit.limit >= 1) || !(limit.windowMs > 0))
    throw new Error(`fake discord: bad rate limit ${JSON.stringify(config)}`);
  return limit;
}
