/**
 * The calendar date (YYYY-MM-DD) of an instant in a time zone: the community's day boundary
 * for daily rewards and seasons.
 */
export function localDate(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((part) => part.type === type)?.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The instant at which a local calendar date starts in a time zone. */
export function startOfLocalDate(date: string, timeZone: string): Date {
  return instantOfWallTime(Date.parse(`${date}T00:00:00Z`), timeZone);
}

/**
 * The instant a wall-clock time shows in a time zone, the wall time given as if it were UTC
 * (`Date.UTC(year, month - 1, day, hour, minute, second)`).
 */
export function instantOfWallTime(wallTimeAsUtc: number, timeZone: string): Date {
  // Guess the UTC instant, then correct by the zone's offset at the guess (twice, for DST).
  let guess = wallTimeAsUtc;
  for (let i = 0; i < 2; i++) guess = wallTimeAsUtc - zoneOffsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}
