/**
 * The few permission bits the fake reasons about. Discord computes a member's guild
 * permissions as the OR of @everyone and the member's roles; Administrator or ownership grants
 * everything. Interactions carry that result as a decimal string, and role changes are refused
 * without Manage Roles, so the fake computes it the same way.
 */
export const Permission = {
  Administrator: 1n << 3n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  ReadMessageHistory: 1n << 16n,
  Connect: 1n << 20n,
  Speak: 1n << 21n,
  ManageRoles: 1n << 28n,
  UseApplicationCommands: 1n << 31n,
} as const;

/** Every bit up to the newest permissions Discord defines (SendPolls 1<<49, UseExternalApps 1<<50). */
export const ALL_PERMISSIONS = (1n << 51n) - 1n;

export const EVERYONE_PERMISSIONS =
  Permission.ViewChannel |
  Permission.SendMessages |
  Permission.EmbedLinks |
  Permission.ReadMessageHistory |
  Permission.Connect |
  Permission.Speak |
  Permission.UseApplicationCommands;

export function computePermissions(rolePermissions: string[], isOwner: boolean): bigint {
  if (isOwner) return ALL_PERMISSIONS;
  const combined = rolePermissions.reduce((acc, bits) => acc | BigInt(bits), 0n);
  return (combined & Permission.Administrator) !== 0n ? ALL_PERMISSIONS : combined;
}

export function hasPermission(bits: bigint, permission: bigint): boolean {
  return (bits & Permission.Administrator) !== 0n || (bits & permission) === permission;
}
