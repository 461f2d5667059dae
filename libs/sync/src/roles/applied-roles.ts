import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { mutateReturning } from '@ttfd/database';

/**
 * The member's roles as we last set or listed them (`discord_member_roles`), so a convergence
 * plans from them instead of spending a Discord call on reading the member. Null means unknown:
 * nothing stored yet, or a change in flight (or one that failed midway), and then the
 * convergence reads the member fresh. Humans change roles in Discord behind our back: reconcile's
 * member listing stores what it saw, and `/sync` and roles.resync read fresh.
 *
 * Times are the database's clock (`clock_timestamp()`), never a process's: reconcile compares
 * them with when its listing began.
 */
/**
 * One member's stored roles as a convergence uses them: where they are taken and written back
 * is the caller's (AppliedRoles.of for one member under its lease, each statement its own;
 * BatchAppliedRoles for a lane's batch, whose claim took them and whose settle stores them).
 */
export interface MemberAppliedRoles {
  /** AppliedRoles.takeUnlessSettled for this member. */
  takeUnlessSettled(
    wanted: readonly string[],
    managed: Iterable<string>,
    removals: boolean,
  ): Promise<{ roles: string[] | null; taken: boolean }>;
  /** Marks them unknown before the first call of a change. */
  take(): Promise<void>;
  /** The roles the member has now, as read or as our completed calls left them. */
  store(roleIds: readonly string[]): Promise<void>;
  /** The member left the guild. */
  forget(): Promise<void>;
}

@Injectable()
export class AppliedRoles {
  constructor(private readonly dataSource: DataSource) {}

  /** The member's stored roles, one statement per use (the caller holds the member's lease). */
  of(discordUserId: string): MemberAppliedRoles {
    return {
      takeUnlessSettled: (wanted, managed, removals) =>
        this.takeUnlessSettled(discordUserId, wanted, managed, removals),
      take: async () => {
        await this.take(discordUserId);
      },
      store: (roleIds) => this.store(discordUserId, roleIds),
      forget: () => this.forget(discordUserId),
    };
  }

  /**
   * The stored roles (null when unknown), marking them unknown in the same statement: called
   * under the member's lock before a convergence, so until `store` nobody plans from a state
   * our calls may be changing, and a crash in between leaves it unknown (the next one reads).
   */
  async take(discordUserId: string): Promise<string[] | null> {
    const rows: { role_ids: string[] | null }[] = await mutateReturning(
      this.dataSource,
      `WITH old AS (SELECT role_ids FROM discord_member_roles
                     WHERE discord_user_id = $1 FOR UPDATE)
       UPDATE discord_member_roles d SET role_ids = NULL, updated_at = clock_timestamp()
         FROM old WHERE d.discord_user_id = $1
       RETURNING old.role_ids`,
      [discordUserId],
    );
    return rows[0]?.role_ids ?? null;
  }

  /**
   * `take`, but only when the stored roles would change: they lack a `wanted` role, or (with
   * `removals`) hold a `managed` role not wanted. Settled roles stay stored and nothing is
   * written, so a convergence with nothing to do costs this one read. `taken` says whether the
   * roles were marked unknown; the caller plans from `roles` and takes or stores as its plan
   * needs (its plan has the last word: the removal budget is not known here).
   */
  async takeUnlessSettled(
    discordUserId: string,
    wanted: readonly string[],
    managed: Iterable<string>,
    removals: boolean,
  ): Promise<{ roles: string[] | null; taken: boolean }> {
    const rows: { role_ids: string[] | null; taken: boolean }[] = await mutateReturning(
      this.dataSource,
      `WITH old AS (SELECT role_ids FROM discord_member_roles
                     WHERE discord_user_id = $1 FOR UPDATE),
            taken AS (
              UPDATE discord_member_roles d SET role_ids = NULL, updated_at = clock_timestamp()
                FROM old
               WHERE d.discord_user_id = $1 AND old.role_ids IS NOT NULL
                 AND (NOT old.role_ids @> $2::text[]
                      OR ($4 AND EXISTS (SELECT 1 FROM unnest(old.role_ids) AS r
                                          WHERE r = ANY($3::text[]) AND r <> ALL($2::text[]))))
              RETURNING 1)
       SELECT old.role_ids, EXISTS (SELECT 1 FROM taken) AS taken FROM old`,
      [discordUserId, [...wanted], [...managed], removals],
    );
    return { roles: rows[0]?.role_ids ?? null, taken: rows[0]?.taken === true };
  }

  /** The roles the member has now, as read or as our completed calls left them. */
  async store(discordUserId: string, roleIds: readonly string[]): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO discord_member_roles (discord_user_id, role_ids, updated_at)
       VALUES ($1, $2::text[], clock_timestamp())
       ON CONFLICT (discord_user_id)
       DO UPDATE SET role_ids = excluded.role_ids, updated_at = excluded.updated_at`,
      [discordUserId, [...new Set(roleIds)].sort()],
    );
  }

  /** The member left the guild: whatever they get back on a rejoin is read, not assumed. */
  async forget(discordUserId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM discord_member_roles WHERE discord_user_id = $1`, [
      discordUserId,
    ]);
  }

  /** The database's now: taken before a member listing, to pass to `storeListed`. */
  async now(): Promise<Date> {
    const [{ now }]: { now: Date }[] = await this.dataSource.query(
      `SELECT clock_timestamp() AS now`,
    );
    return new Date(now);
  }

  /**
   * What a member listing begun at `listedAt` saw, for members whose stored state is not newer
   * and not in flight: a convergence that wrote after the listing began knows better, and one
   * in flight (unknown) stores its own result when done.
   */
  async storeListed(
    members: readonly { userId: string; roles: readonly string[] }[],
    listedAt: Date,
  ): Promise<void> {
    if (members.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO discord_member_roles (discord_user_id, role_ids, updated_at)
       SELECT m.user_id, ARRAY(SELECT DISTINCT r FROM jsonb_array_elements_text(m.roles) AS r
                                ORDER BY r), clock_timestamp()
         FROM jsonb_to_recordset($1::jsonb) AS m(user_id text, roles jsonb)
       ON CONFLICT (discord_user_id)
       DO UPDATE SET role_ids = excluded.role_ids, updated_at = excluded.updated_at
        WHERE discord_member_roles.role_ids IS NOT NULL AND discord_member_roles.updated_at < $2`,
      [JSON.stringify(members.map((m) => ({ user_id: m.userId, roles: m.roles }))), listedAt],
    );
  }
}
