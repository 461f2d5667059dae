import { DiscordAPIError } from 'discord.js';

export type RoleCallMethod = 'PUT' | 'DELETE';

/**
 * A role change Discord refused (or that we did not send because the role is paused), with
 * what an operator needs to fix it: Discord's error code, the HTTP status, the role and the
 * member. The message is structured and stable, e.g.
 * `PUT role 123 on member 456: Discord 50013 Missing Permissions (403)`; the outbox row stores
 * it (prefixed `roles: `) and the admin events page shows it.
 */
export class RoleCallError extends Error {
  constructor(
    readonly method: RoleCallMethod,
    readonly roleId: string,
    readonly discordUserId: string,
    /** Discord's JSON error code, or 'paused' when no call was made. */
    readonly code: number | 'paused',
    /** 0 when no call was made. */
    readonly httpStatus: number,
    detail: string,
  ) {
    super(`${method} role ${roleId} on member ${discordUserId}: ${detail}`);
    this.name = 'RoleCallError';
  }

  static fromDiscord(
    method: RoleCallMethod,
    roleId: string,
    discordUserId: string,
    error: DiscordAPIError,
  ): RoleCallError {
    const code = typeof error.code === 'number' ? error.code : 0;
    // discord.js puts Discord's own message (with the path) in its message: keep Discord's text.
    const text = (error.rawError as { message?: string } | undefined)?.message ?? error.message;
    return new RoleCallError(
      method,
      roleId,
      discordUserId,
      code,
      error.status,
      `Discord ${code} ${text} (${error.status})`,
    );
  }

  static paused(
    method: RoleCallMethod,
    roleId: string,
    discordUserId: string,
    until: number,
  ): RoleCallError {
    return new RoleCallError(
      method,
      roleId,
      discordUserId,
      'paused',
      0,
      `role paused until ${new Date(until).toISOString()} after repeated 403 refusals (no call made)`,
    );
  }
}
