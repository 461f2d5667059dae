/**
 * The gateway: a real WebSocket server speaking Discord's v10 JSON protocol.
 *
 * discord.js (through @discordjs/ws) connects to `<url>?v=10&encoding=json`. It only adds
 * `compress=zlib-stream` when the optional `zlib-sync` package is installed (it is not here),
 * so frames are plain JSON text. A request for compression is refused loudly rather than
 * answered with frames the client cannot read.
 *
 * Each IDENTIFY gets its own session with its own sequence numbers, so several app instances
 * can be connected at once. A session survives a dropped connection (not a clean 1000/1001
 * close, which ends it like on Discord) and keeps its backlog, so RESUME replays what was
 * missed and then says RESUMED.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  GatewayCloseCodes,
  GatewayDispatchEvents,
  GatewayOpcodes,
  type GatewayReadyDispatchData,
} from 'discord.js';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { Intent, disallowedIntents, hasIntent, type PrivilegedIntents } from './intents';
import { asRecord, isRecord, optionalNumber, optionalString } from './json';
import { memberChunks } from './member-chunks';
import { apiUser, guildCreatePayload } from './payloads';
import type { FakeDiscordState, GuildRecord } from './state';

export interface DispatchScope {
  /** Only sessions whose shard holds this guild. */
  guildId?: string;
  /** Only sessions that identified with this intent. */
  intent?: number;
  /** Payload per session when it depends on the session's intents (message content). */
  render?: (intents: number) => unknown;
}

/** What the rest of the fake needs from the gateway: push an event to the connected bots. */
export interface GatewayEvents {
  dispatch(event: string, data: unknown, scope?: DispatchScope): void;
}

export interface GatewayServerOptions {
  host: string;
  token: string;
  heartbeatIntervalMs: number;
  privileged: PrivilegedIntents;
  state: FakeDiscordState;
  applicationId: string;
  applicationFlags: number;
}

interface DispatchFrame {
  op: GatewayOpcodes.Dispatch;
  t: string;
  s: number;
  d: unknown;
}

interface Session {
  id: string;
  intents: number;
  shard: [number, number];
  largeThreshold: number;
  seq: number;
  /** Dispatches already numbered for this session, kept for RESUME (oldest dropped first). */
  backlog: DispatchFrame[];
  connection: Connection | null;
}

interface Connection {
  socket: WebSocket;
  session: Session | null;
  /** Set when the fake itself closed the socket with a resumable code. */
  keepSession: boolean;
}

const BACKLOG_LIMIT = 1_000;

export class GatewayServer implements GatewayEvents {
  private readonly sessions = new Map<string, Session>();
  private readonly connections = new Set<Connection>();
  /** Everything the fake refused, so a failing e2e test can tell a protocol slip from a bug. */
  readonly protocolErrors: string[] = [];
  identifyCount = 0;

  private constructor(
    private readonly wss: WebSocketServer,
    private readonly options: GatewayServerOptions,
  ) {
    wss.on('connection', (socket, request) => this.onConnection(socket, request));
  }

  static async start(options: GatewayServerOptions): Promise<GatewayServer> {
    const wss = new WebSocketServer({ host: options.host, port: 0 });
    await new Promise<void>((resolve, reject) => {
      wss.once('listening', resolve);
      wss.once('error', reject);
    });
    return new GatewayServer(wss, options);
  }

  get url(): string {
    const { port } = this.wss.address() as AddressInfo;
    return `ws://${this.options.host}:${port}`;
  }

  /** Sessions with a live, identified (or resumed) connection. */
  connectedSessionCount(): number {
    return [...this.sessions.values()].filter((s) => s.connection !== null).length;
  }

  dispatch(event: string, data: unknown, scope: DispatchScope = {}): void {
    for (const session of this.sessions.values()) {
      if (scope.guildId !== undefined && !onShard(scope.guildId, session.shard)) continue;
      if (scope.intent !== undefined && !hasIntent(session.intents, scope.intent)) continue;
      this.sendDispatch(session, event, scope.render ? scope.render(session.intents) : data);
    }
  }

  /** Close every socket with a resumable code; sessions stay, so clients RESUME. */
  disconnectAll(code: number = GatewayCloseCodes.UnknownError): void {
    for (const connection of this.connections) {
      connection.keepSession = true;
      connection.socket.close(code, 'fake discord: disconnected by the test');
    }
  }

  /** Op 7 RECONNECT: Discord asking clients to reconnect and resume. */
  requestReconnect(): void {
    for (const connection of this.connections)
      this.send(connection, { op: GatewayOpcodes.Reconnect, d: null });
  }

  /** Forget every session and tell connected clients (op 9, not resumable): they identify again. */
  invalidateSessions(): void {
    for (const connection of this.connections) {
      if (connection.session)
        this.send(connection, { op: GatewayOpcodes.InvalidSession, d: false });
      connection.session = null;
    }
    this.sessions.clear();
  }

  async stop(): Promise<void> {
    for (const connection of this.connections) connection.socket.terminate();
    this.connections.clear();
    this.sessions.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onConnection(socket: WebSocket, request: IncomingMessage): void {
    const connection: Connection = { socket, session: null, keepSession: false };
    this.connections.add(connection);
    socket.on('close', (code) => this.onClose(connection, code));
    socket.on('error', () => socket.terminate());

    const query = new URL(request.url ?? '/', 'ws://fake').searchParams;
    if (query.get('v') !== '10') {
      this.refuse(
        connection,
        GatewayCloseCodes.InvalidAPIVersion,
        `unsupported gateway version ${query.get('v')}`,
      );
      return;
    }
    if ((query.get('encoding') ?? 'json') !== 'json') {
      this.refuse(
        connection,
        GatewayCloseCodes.DecodeError,
        `unsupported encoding ${query.get('encoding')}`,
      );
      return;
    }
    if (query.has('compress')) {
      this.refuse(
        connection,
        GatewayCloseCodes.DecodeError,
        `compression ${query.get('compress')} is not implemented`,
      );
      return;
    }
    socket.on('message', (data, isBinary) => this.onMessage(connection, data, isBinary));
    this.send(connection, {
      op: GatewayOpcodes.Hello,
      d: {
        heartbeat_interval: this.options.heartbeatIntervalMs,
        _trace: ['["fake-discord-gateway"]'],
      },
    });
  }

  private onClose(connection: Connection, code: number): void {
    this.connections.delete(connection);
    const session = connection.session;
    if (!session) return;
    if (session.connection === connection) session.connection = null;
    // Discord ends the session when the client closes cleanly; any other close may be resumed.
    if (!connection.keepSession && (code === 1000 || code === 1001))
      this.sessions.delete(session.id);
  }

  private onMessage(connection: Connection, data: RawData, isBinary: boolean): void {
    let payload: unknown;
    try {
      payload = isBinary ? undefined : JSON.parse(rawToString(data));
    } catch {
      payload = undefined;
    }
    if (!isRecord(payload)) {
      this.refuse(connection, GatewayCloseCodes.DecodeError, 'payload is not a JSON object');
      return;
    }
    const op = optionalNumber(payload.op);
    switch (op) {
      case GatewayOpcodes.Heartbeat:
        this.send(connection, { op: GatewayOpcodes.HeartbeatAck, d: null });
        return;
      case GatewayOpcodes.Identify:
        this.identify(connection, asRecord(payload.d));
        return;
      case GatewayOpcodes.Resume:
        this.resume(connection, asRecord(payload.d));
        return;
      case GatewayOpcodes.RequestGuildMembers:
        if (this.requireSession(connection)) this.requestMembers(connection, asRecord(payload.d));
        return;
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.VoiceStateUpdate:
      case GatewayOpcodes.RequestSoundboardSounds:
        // Accepted and ignored: the fake has no presences or voice servers.
        this.requireSession(connection);
        return;
      default:
        this.refuse(
          connection,
          GatewayCloseCodes.UnknownOpcode,
          `unknown opcode ${String(payload.op)}`,
        );
    }
  }

  private identify(connection: Connection, d: Record<string, unknown>): void {
    if (connection.session) {
      this.refuse(
        connection,
        GatewayCloseCodes.AlreadyAuthenticated,
        'second IDENTIFY on one connection',
      );
      return;
    }
    if (d.token !== this.options.token) {
      this.refuse(
        connection,
        GatewayCloseCodes.AuthenticationFailed,
        'IDENTIFY with a wrong token',
      );
      return;
    }
    const intents = optionalNumber(d.intents);
    if (intents === undefined) {
      this.refuse(connection, GatewayCloseCodes.InvalidIntents, 'IDENTIFY without intents');
      return;
    }
    if (disallowedIntents(intents, this.options.privileged) !== 0) {
      this.refuse(
        connection,
        GatewayCloseCodes.DisallowedIntents,
        `privileged intents not enabled: ${intents}`,
      );
      return;
    }
    if (d.compress === true) {
      this.refuse(
        connection,
        GatewayCloseCodes.DecodeError,
        'IDENTIFY payload compression is not implemented',
      );
      return;
    }
    const shardField = Array.isArray(d.shard) ? d.shard : [0, 1];
    const shard: [number, number] = [Number(shardField[0] ?? 0), Number(shardField[1] ?? 1)];
    if (!(shard[1] >= 1 && shard[0] >= 0 && shard[0] < shard[1])) {
      this.refuse(
        connection,
        GatewayCloseCodes.InvalidShard,
        `invalid shard ${JSON.stringify(d.shard)}`,
      );
      return;
    }
    this.identifyCount += 1;
    const session: Session = {
      id: randomBytes(16).toString('hex'),
      intents,
      shard,
      largeThreshold: optionalNumber(d.large_threshold) ?? 50,
      seq: 0,
      backlog: [],
      connection,
    };
    this.sessions.set(session.id, session);
    connection.session = session;

    const { state } = this.options;
    const guilds = [...state.guilds.values()].filter((g) => onShard(g.id, shard));
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: { ...apiUser(state.bot), verified: true, mfa_enabled: false, email: null },
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.url,
      shard,
      application: {
        id: this.options.applicationId,
        flags: this.options.applicationFlags,
        flags_new: String(this.options.applicationFlags),
      },
    };
    this.sendDispatch(session, GatewayDispatchEvents.Ready, ready);
    // Discord sends every guild right after READY; discord.js waits for them before "ready".
    if (hasIntent(intents, Intent.Guilds)) {
      for (const guild of guilds)
        this.sendDispatch(
          session,
          GatewayDispatchEvents.GuildCreate,
          this.guildCreate(guild, session),
        );
    }
  }

  private resume(connection: Connection, d: Record<string, unknown>): void {
    const session = this.sessions.get(optionalString(d.session_id) ?? '');
    const seq = optionalNumber(d.seq) ?? 0;
    const oldest = session?.backlog[0]?.s ?? 1;
    const resumable =
      session !== undefined &&
      d.token === this.options.token &&
      (session.connection === null || session.connection.socket.readyState !== WebSocket.OPEN) &&
      connection.session === null &&
      seq <= session.seq &&
      seq >= oldest - 1;
    if (!resumable) {
      this.send(connection, { op: GatewayOpcodes.InvalidSession, d: false });
      return;
    }
    session.connection = connection;
    connection.session = session;
    for (const frame of session.backlog) {
      if (frame.s > seq) this.send(connection, frame);
    }
    this.sendDispatch(session, GatewayDispatchEvents.Resumed, null);
  }

  private requestMembers(connection: Connection, d: Record<string, unknown>): void {
    const session = connection.session;
    const guild = this.options.state.guilds.get(optionalString(d.guild_id) ?? '');
    if (!session || !guild) return;
    const hasMembers = hasIntent(session.intents, Intent.GuildMembers);
    const answer = memberChunks(this.options.state, guild, d, hasMembers);
    if (answer.problem) this.protocolErrors.push(answer.problem);
    for (const chunk of answer.chunks) {
      this.sendDispatch(session, GatewayDispatchEvents.GuildMembersChunk, chunk);
    }
  }

  private guildCreate(guild: GuildRecord, session: Session) {
    return guildCreatePayload(this.options.state, guild, {
      allMembers: hasIntent(session.intents, Intent.GuildPresences),
      largeThreshold: session.largeThreshold,
    });
  }

  private requireSession(connection: Connection): boolean {
    if (connection.session) return true;
    this.refuse(connection, GatewayCloseCodes.NotAuthenticated, 'payload before IDENTIFY');
    return false;
  }

  private sendDispatch(session: Session, event: string, data: unknown): void {
    session.seq += 1;
    const frame: DispatchFrame = { op: GatewayOpcodes.Dispatch, t: event, s: session.seq, d: data };
    session.backlog.push(frame);
    if (session.backlog.length > BACKLOG_LIMIT) session.backlog.shift();
    if (session.connection) this.send(session.connection, frame);
  }

  private send(
    connection: Connection,
    frame: { op: number; d: unknown; t?: string; s?: number },
  ): void {
    if (connection.socket.readyState !== WebSocket.OPEN) return;
    connection.socket.send(JSON.stringify({ t: null, s: null, ...frame }));
  }

  private refuse(connection: Connection, code: number, reason: string): void {
    this.protocolErrors.push(`${code}: ${reason}`);
    connection.socket.close(code, reason.slice(0, 120));
  }
}

function onShard(guildId: string, [shardId, shardCount]: [number, number]): boolean {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount)) === shardId;
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
