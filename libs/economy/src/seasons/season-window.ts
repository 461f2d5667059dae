import { CronTime } from 'cron';
import { localDate } from '@ttfd/clock';

/**
 * Season windows follow the schedule: a season ends at the next firing of SEASON_CRON (in the
 * community zone) after it opens, and starts where the previous one ended, so every XP entry
 * belongs to exactly one season. The very first season starts when it is opened.
 */
export function nextSeasonEnd(cron: string, timeZone: string, after: Date): Date {
  const next = new CronTime(cron, timeZone).getNextDateFrom(after, timeZone).toJSDate();
  return next;
}

export function seasonWindow(
  cron: string,
  timeZone: string,
  now: Date,
  previousEnd: Date | null,
): { startsAt: Date; endsAt: Date } {
  const startsAt = previousEnd && previousEnd.getTime() <= now.getTime() ? previousEnd : now;
  return { startsAt, endsAt: nextSeasonEnd(cron, timeZone, now) };
}

/** "2026-02-01 – 2026-02-28" in the community zone (the end is exclusive). */
export function seasonName(startsAt: Date, endsAt: Date, timeZone: string): string {
  return `${localDate(startsAt, timeZone)} – ${localDate(new Date(endsAt.getTime() - 1), timeZone)}`;
}

export function assertCron(cron: string): void {
  // Throws with the cron library's message on a bad expression.
  new CronTime(cron);
}
