import { Pool } from 'pg';
// The fake Discord is test code with no @ttfd/* alias; the rule is about libraries' aliases.
// eslint-disable-next-line no-restricted-imports
import {
  FakeDiscord,
  Permission,
  type FakeDiscordOptions,
  type FakeUser,
  type GuildSeed,
  type InjectedFailure,
  type MemberSeed,
} from '../../test/fakes/discord';

/** A role change Discord applied (2xx), and whether it changed anything. */
export interface RoleChange {
  method: 'PUT' | 'DELETE';
  userId: string;
  roleId: string;
  /** A PUT of a role already held or a DELETE of one not held: a call that changed nothing. */
  needless: boolean;
  /** When the fake received it (ms). */
  at: number;
}

const MEMBER = /^\/guilds\/\d+\/members\/\d+$/;
const MEMBER_ROLE = /^\/guilds\/\d+\/members\/\d+\/roles\/\d+$/;

/**
 * The drill's Discord: one FakeDiscord (test/fakes/discord, REST on loopback) shared by every
 * application process. Its guild holds the drill's members with the roles they should hold at
 * the start, every mapped role below the bot's own role (which has Manage Roles), and an owner.
 * Worker processes reach it through the real adapter (DiscordModule.restPorts over discord.js
 * REST, DISCORD_API_BASE), so 429s and 5xx are handled by discord.js as against Discord.
 *
 * Discord does not say whether a call changed anything, so the fake's REST log (in the order the
 * fake applied the calls) is replayed against the members' starting roles to find out.
 */
export class DrillGuild {
  private readonly changes: RoleChange[] = [];
  private replayed = 0;
  private patches = 0;

  private constructor(
    readonly fake: FakeDiscord,
    readonly guildId: string,
    private readonly replay: Map<string, Set<string>>,
  ) {}

  /**
   * `members`: Discord user id -> role ids held at the start; `roleIds`: every mapped role (and
   * any the run maps later); `options`: the fake's own settings, e.g. its rate limits.
   */
  static async start(
    members: Map<string, string[]>,
    roleIds: string[],
    options: Omit<FakeDiscordOptions, 'guilds'> = {},
  ): Promise<DrillGuild> {
    let guildId = '';
    const fake = await FakeDiscord.start({
      botUsername: 'TTFD Sync (drill)',
      ...options,
      guilds: (ids, bot) => {
        guildId = ids.next();
        const owner: FakeUser = { id: ids.next(), username: 'owner', globalName: null };
        const seed: GuildSeed = {
          id: guildId,
          name: 'TTFD drill guild',
          ownerId: owner.id,
          roles: [
            {
              id: guildId,
              name: '@everyone',
              position: 0,
              permissions: (Permission.ViewChannel | Permission.SendMessages).toString(),
            },
            ...roleIds.map((id, index) => ({
              id,
              name: `mapped ${index + 1}`,
              position: index + 1,
              permissions: '0',
            })),
            {
              id: ids.next(),
              name: 'TTFD Sync',
              position: roleIds.length + 1,
              permissions: Permission.ManageRoles.toString(),
              botId: bot.id,
            },
          ],
          channels: [],
          members: [],
          afkChannelId: null,
          afkTimeout: 300,
        };
        const botRole = seed.roles[seed.roles.length - 1]!.id;
        const players: MemberSeed[] = [...members].map(([userId, roles]) => ({
          user: { id: userId, username: `player-${userId}`, globalName: null },
          roles: [...roles],
        }));
        seed.members = [{ user: owner, roles: [] }, { user: bot, roles: [botRole] }, ...players];
        return [seed];
      },
    });
    const replay = new Map([...members].map(([userId, roles]) => [userId, new Set(roles)]));
    return new DrillGuild(fake, guildId, replay);
  }

  /** What the application processes need to use this guild as "the" Discord. */
  get env(): Record<string, string> {
    return {
      DISCORD_BOT_TOKEN: this.fake.token,
      DISCORD_GUILD_ID: this.guildId,
      DISCORD_API_BASE: this.fake.apiBase,
    };
  }

  /** The member's roles now, sorted (undefined for a non-member). */
  rolesOf(userId: string): string[] | undefined {
    return this.fake.memberRoles(this.guildId, userId)?.sort();
  }

  /** Every role change Discord applied since the start, with needless ones marked. */
  roleChanges(): RoleChange[] {
    const calls = this.fake.roleCalls();
    for (const call of calls.slice(this.replayed)) {
      if (call.method === 'PATCH') {
        this.patches += 1;
        continue;
      }
      const held = this.replay.get(call.userId) ?? new Set<string>();
      this.replay.set(call.userId, held);
      const roleId = call.roleId!;
      const needless = call.method === 'PUT' ? held.has(roleId) : !held.has(roleId);
      if (call.method === 'PUT') held.add(roleId);
      else held.delete(roleId);
      this.changes.push({
        method: call.method,
        userId: call.userId,
        roleId,
        needless,
        at: call.at,
      });
    }
    this.replayed = calls.length;
    return this.changes;
  }

  /**
   * For the first needless role calls: the REST calls on that member in the 10 s before it, in
   * order, with their time relative to it (e.g. two reads, then two PUTs of one role: two
   * convergences of the member at once).
   */
  explainNeedless(limit = 3): string[] {
    const prefix = `/guilds/${this.guildId}/members/`;
    return this.roleChanges()
      .filter((change) => change.needless)
      .slice(0, limit)
      .map((change) => {
        const calls = this.fake
          .calls()
          .filter(
            (call) =>
              call.path.startsWith(`${prefix}${change.userId}`) &&
              call.at >= change.at - 10_000 &&
              call.at <= change.at,
          );
        const steps = calls.map((call) => {
          const role = call.path.split('/roles/')[1];
          return `${call.at - change.at}ms ${call.method}${role ? ` ${role}` : ''} ${call.status}`;
        });
        const when = new Date(change.at).toISOString().slice(11, 23);
        return `${change.method} ${change.roleId} on ${change.userId} at ${when}: ${steps.join(', ')}`;
      });
  }

  /** Member PATCHes Discord applied (the adapter must never send one: it rewrites all roles). */
  memberPatches(): number {
    this.roleChanges();
    return this.patches;
  }

  /** The next `times` member reads and role changes fail with `failure` (after earlier rules). */
  failMemberCalls(failure: InjectedFailure, times: number): void {
    this.fake.failNext(
      ({ method, path }) =>
        (method === 'GET' && MEMBER.test(path)) ||
        ((method === 'PUT' || method === 'DELETE') && MEMBER_ROLE.test(path)),
      failure,
      times,
    );
  }

  /** How many REST calls the fake has seen: pass it to `answers` to count from there on. */
  mark(): number {
    return this.fake.calls().length;
  }

  /** Answers with this status since `mark`: injected ones, or the fake's own (rate limits). */
  answers(status: number, injected: boolean, since = 0): number {
    return this.fake
      .calls()
      .slice(since)
      .filter((call) => call.status === status && call.injected === injected).length;
  }

  /** Direct messages the bot sent, and how many repeated an earlier one word for word. */
  directMessages(): { sent: number; repeated: number } {
    let sent = 0;
    let repeated = 0;
    for (const userId of this.replay.keys()) {
      const texts = this.fake.dms(userId).map((message) => message.content);
      sent += texts.length;
      repeated += texts.length - new Set(texts).size;
    }
    return { sent, repeated };
  }

  /**
   * DM sends that repeated an earlier one (the same nonce again: a lost answer, a killed
   * worker's event run again), and messages Discord created twice for one nonce (must be 0:
   * `enforce_nonce` makes a repeat return the first message).
   */
  dmResends(): { attempts: number; createdTwice: number } {
    const nonces = new Set<string>();
    let attempts = 0;
    for (const call of this.fake.calls({ method: 'POST', path: '/channels/:c/messages' })) {
      const nonce = (call.body as { nonce?: unknown } | undefined)?.nonce;
      if (typeof nonce !== 'string') continue;
      if (nonces.has(nonce)) attempts += 1;
      nonces.add(nonce);
    }
    const createdTwice = this.fake
      .messagesPerNonce()
      .reduce((sum, count) => sum + Math.max(0, count - 1), 0);
    return { attempts, createdTwice };
  }

  /** REST handler crashes and protocol slips of the fake itself: must stay empty. */
  problems(): string[] {
    return this.fake.problems();
  }

  stop(): Promise<void> {
    return this.fake.stop();
  }
}

/** Every Discord role id an admin mapped to a rank or an achievement. */
export async function mappedRoleIds(pool: Pool): Promise<string[]> {
  const rows = await pool.query<{ id: string }>(
    `SELECT discord_role_id AS id FROM rank_role_mappings WHERE discord_role_id IS NOT NULL
     UNION
     SELECT discord_role_id FROM achievement_role_mappings WHERE discord_role_id IS NOT NULL
     ORDER BY id`,
  );
  return rows.rows.map((row) => row.id);
}
