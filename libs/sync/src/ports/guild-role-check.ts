/** What Discord says about some role ids of the community's guild. */
export type RoleCheck =
  | { kind: 'checked'; missing: string[] }
  /** Discord is not configured here, or did not answer: the ids could not be checked. */
  | { kind: 'unchecked'; reason: string };

/**
 * Whether role ids exist in the community's guild, asked before a mapping is saved (a typo
 * would map a rank to nothing). Implemented over Discord's REST by DiscordGuildRoles in
 * @ttfd/api, which binds it where RoleMappingsService is provided.
 */
export abstract class GuildRoleCheck {
  abstract check(roleIds: string[]): Promise<RoleCheck>;
}
