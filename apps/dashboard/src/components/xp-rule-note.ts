/**
 * "20 × 2 channel × 1.5 role × 2 Weekend = 60": why a ledger row's XP is what it is, from its
 * metadata (the XP rule that applied). Empty for rows no rule shaped (admin adjustments).
 */
export function xpRuleNote(metadata: Record<string, unknown> | null): string {
  if (!metadata || metadata.rule !== 'xp') return '';
  const factors: string[] = [String(metadata.base)];
  const global = metadata.global as number | undefined;
  const channel = metadata.channel as { multiplier: number } | undefined;
  const role = metadata.role as { id: string; multiplier: number } | undefined;
  const event = metadata.event as { name: string; multiplier: number } | undefined;
  if (global !== undefined) factors.push(`${global} global`);
  if (channel) factors.push(`${channel.multiplier} channel`);
  if (role) factors.push(`${role.multiplier} role ${role.id}`);
  if (event) factors.push(`${event.multiplier} ${event.name}`);
  const capped = metadata.capped ? ' (capped)' : '';
  return `${factors.join(' × ')} (×${String(metadata.multiplier)})${capped}`;
}
