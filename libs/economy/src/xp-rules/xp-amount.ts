import { XpEvent, XpRulesSnapshot, XpSource } from './xp-rules.types';

/** Where and when the XP is earned: what the rules look at. */
export interface XpContext {
  source: XpSource;
  /** The amount before any rule (a message's random draw, a game's prize). */
  base: number;
  /** The instant the XP is for (a message's time, the end of a voice minute, a claim). */
  at: Date;
  /** Discord only. */
  channelId?: string;
  roleIds?: readonly string[];
  /** DISCORD_NO_XP_CHANNEL_IDS: no XP in these channels unless a stored rule says otherwise. */
  defaultNoXpChannelIds?: ReadonlySet<string>;
  /** AWARD_MAX_DELTA: a multiplied amount never exceeds what one ledger entry may move. */
  maxXp: number;
}

/** Stored on the ledger row (`ledger_entries.metadata`): why the amount is what it is. */
export interface XpRuleMetadata {
  rule: 'xp';
  rulesVersion: number;
  source: XpSource;
  base: number;
  /** The product of every factor below. */
  multiplier: number;
  global?: number;
  channel?: { id: string; multiplier: number; from: 'rule' | 'DISCORD_NO_XP_CHANNEL_IDS' };
  role?: { id: string; multiplier: number };
  event?: { id: string; name: string; multiplier: number };
  capped?: true;
  [key: string]: unknown;
}

export type XpVerdict =
  | { earns: true; xp: number; metadata: XpRuleMetadata }
  | {
      earns: false;
      xp: 0;
      why: 'no_xp_channel' | 'no_xp_role' | 'no_xp_global';
      metadata: XpRuleMetadata;
    };

/**
 * How the rules combine (docs/economy-and-games.md, "XP rules"):
 *
 *   xp = round(base × global × channel × role × event), at least 1, at most AWARD_MAX_DELTA
 *
 * - channel: the channel's stored multiplier; without one, 0 for a DISCORD_NO_XP_CHANNEL_IDS
 *   channel, else 1;
 * - role: a member with any role at 0 earns nothing; otherwise the highest multiplier among the
 *   member's roles that have one (roles do not stack: giving a member more boosted roles never
 *   multiplies them together), else 1;
 * - event: the highest multiplier of the events running at `at` that cover the source (events
 *   do not stack either), else 1;
 * - any factor at 0 means no XP at all (no ledger row). Channels and roles apply to Discord
 *   messages and voice only; the global multiplier and events to every source.
 */
export function applyXpRules(rules: XpRulesSnapshot, context: XpContext): XpVerdict {
  const metadata: XpRuleMetadata = {
    rule: 'xp',
    rulesVersion: rules.version,
    source: context.source,
    base: context.base,
    multiplier: 1,
  };
  let multiplier = 1;
  if (rules.globalMultiplier !== 1) {
    metadata.global = rules.globalMultiplier;
    multiplier *= rules.globalMultiplier;
  }
  if (multiplier === 0)
    return { earns: false, xp: 0, why: 'no_xp_global', metadata: done(metadata, 0) };

  if (context.channelId !== undefined) {
    const stored = rules.channels.get(context.channelId);
    if (stored !== undefined) {
      metadata.channel = { id: context.channelId, multiplier: stored, from: 'rule' };
    } else if (context.defaultNoXpChannelIds?.has(context.channelId)) {
      metadata.channel = {
        id: context.channelId,
        multiplier: 0,
        from: 'DISCORD_NO_XP_CHANNEL_IDS',
      };
    }
    const channel = metadata.channel?.multiplier ?? 1;
    if (channel === 0)
      return { earns: false, xp: 0, why: 'no_xp_channel', metadata: done(metadata, 0) };
    multiplier *= channel;
  }

  if (context.roleIds && context.roleIds.length > 0 && rules.roles.size > 0) {
    let best: { id: string; multiplier: number } | undefined;
    for (const roleId of context.roleIds) {
      const value = rules.roles.get(roleId);
      if (value === undefined) continue;
      if (value === 0) {
        metadata.role = { id: roleId, multiplier: 0 };
        return { earns: false, xp: 0, why: 'no_xp_role', metadata: done(metadata, 0) };
      }
      if (!best || value > best.multiplier) best = { id: roleId, multiplier: value };
    }
    if (best) {
      metadata.role = best;
      multiplier *= best.multiplier;
    }
  }

  const event = activeEventFor(rules.events, context.source, context.at);
  if (event) {
    metadata.event = { id: event.id, name: event.name, multiplier: event.multiplier };
    multiplier *= event.multiplier;
  }

  done(metadata, multiplier);
  let xp = Math.max(1, Math.round(context.base * multiplier));
  if (xp > context.maxXp) {
    xp = context.maxXp;
    metadata.capped = true;
  }
  return { earns: true, xp, metadata };
}

/** The event in force for a source at an instant: the highest multiplier wins. */
export function activeEventFor(
  events: readonly XpEvent[],
  source: XpSource,
  at: Date,
): XpEvent | undefined {
  const ms = at.getTime();
  let best: XpEvent | undefined;
  for (const event of events) {
    if (!event.sources.includes(source)) continue;
    if (ms < event.startsAt.getTime() || ms >= event.endsAt.getTime()) continue;
    if (!best || event.multiplier > best.multiplier) best = event;
  }
  return best;
}

/** Every event running at an instant (for /profile and help). */
export function activeEvents(events: readonly XpEvent[], at: Date): XpEvent[] {
  const ms = at.getTime();
  return events.filter((e) => ms >= e.startsAt.getTime() && ms < e.endsAt.getTime());
}

function done(metadata: XpRuleMetadata, multiplier: number): XpRuleMetadata {
  // Two decimals are what is stored; products of them are shown rounded to 4.
  metadata.multiplier = Math.round(multiplier * 10_000) / 10_000;
  return metadata;
}
