/**
 * Voice earning rules (flow 7), pure: who earns right now, and how accumulated earning time
 * turns into whole credited minutes.
 */
export interface VoiceMember {
  userId: string;
  /** null when not in a voice channel. */
  channelId: string | null;
  bot: boolean;
  selfDeaf: boolean;
  serverDeaf: boolean;
  /** The member's roles (the XP rules' role multipliers look at them). */
  roleIds: readonly string[];
}

export const MINUTE_MS = 60_000;

/**
 * A member earns while in a voice channel that is not the guild's AFK channel, not deafened
 * (by themselves or by a moderator: they cannot hear anyone), and with at least one other
 * human in the same channel. "Not alone with bots": music bots do not count as company; the
 * other human may be muted or deafened, they are still company.
 */
export function earningUserIds(
  members: Iterable<VoiceMember>,
  afkChannelId: string | null,
): Set<string> {
  const humansByChannel = new Map<string, number>();
  const list = [...members];
  for (const member of list) {
    if (member.channelId === null || member.bot) continue;
    humansByChannel.set(member.channelId, (humansByChannel.get(member.channelId) ?? 0) + 1);
  }
  const earning = new Set<string>();
  for (const member of list) {
    if (member.channelId === null || member.bot) continue;
    if (member.channelId === afkChannelId) continue;
    if (member.selfDeaf || member.serverDeaf) continue;
    if ((humansByChannel.get(member.channelId) ?? 0) < 2) continue;
    earning.add(member.userId);
  }
  return earning;
}

/** Earning time of a session: what was folded in so far plus the running stretch, if any. */
export interface EarningClock {
  earningMs: number;
  /** Clock ms when the current earning stretch began; null while not earning. */
  earningSince: number | null;
}

/** Folds the running stretch into `earningMs` at `nowMs` (a clock going back adds nothing). */
export function foldEarning(clock: EarningClock, nowMs: number): EarningClock {
  if (clock.earningSince === null) return clock;
  return {
    earningMs: clock.earningMs + Math.max(0, nowMs - clock.earningSince),
    earningSince: nowMs,
  };
}

/** Starts or stops the running stretch at `nowMs`, folding what ran so far. */
export function setEarning(clock: EarningClock, earning: boolean, nowMs: number): EarningClock {
  const folded = foldEarning(clock, nowMs);
  if (earning) return { ...folded, earningSince: folded.earningSince ?? nowMs };
  return { ...folded, earningSince: null };
}

/**
 * The minute indexes to credit now: every whole minute of earning time not credited yet.
 * Index i is the (i+1)-th minute of the session, so `voice:{session}:{i}` names it for good.
 */
export function minutesToCredit(earningMs: number, creditedMinutes: number): number[] {
  const whole = Math.floor(earningMs / MINUTE_MS);
  const minutes: number[] = [];
  for (let index = creditedMinutes; index < whole; index++) minutes.push(index);
  return minutes;
}

/**
 * The clock times at which whole minutes of earning completed during the running stretch, up to
 * `nowMs`: minute index -> ms. A voice minute is paid under the XP rules in force when it
 * completed (a double-XP window that starts mid-session pays from its first minute on).
 */
export function minutesCompleted(clock: EarningClock, nowMs: number): Map<number, number> {
  const completed = new Map<number, number>();
  if (clock.earningSince === null || nowMs <= clock.earningSince) return completed;
  const end = clock.earningMs + (nowMs - clock.earningSince);
  for (
    let index = Math.floor(clock.earningMs / MINUTE_MS);
    (index + 1) * MINUTE_MS <= end;
    index++
  ) {
    const boundary = (index + 1) * MINUTE_MS;
    if (boundary <= clock.earningMs) continue;
    completed.set(index, clock.earningSince + (boundary - clock.earningMs));
  }
  return completed;
}
