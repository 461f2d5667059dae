import { nextSeasonEnd, seasonName, seasonWindow } from './season-window';

describe('season window', () => {
  const monthly = '0 0 1 * *';

  it('ends at the next local midnight of the 1st in the community zone', () => {
    const end = nextSeasonEnd(monthly, 'Europe/Moscow', new Date('2026-01-15T12:00:00Z'));
    expect(end.toISOString()).toBe('2026-01-31T21:00:00.000Z');
  });

  it('fired exactly at the boundary, the next season ends a month later', () => {
    const end = nextSeasonEnd(monthly, 'Europe/Moscow', new Date('2026-01-31T21:00:00Z'));
    expect(end.toISOString()).toBe('2026-02-28T21:00:00.000Z');
  });

  it('starts where the previous season ended, or now for the first one', () => {
    const now = new Date('2026-02-01T10:00:00Z');
    const previousEnd = new Date('2026-01-31T21:00:00Z');
    expect(seasonWindow(monthly, 'Europe/Moscow', now, previousEnd).startsAt).toEqual(previousEnd);
    expect(seasonWindow(monthly, 'Europe/Moscow', now, null).startsAt).toEqual(now);
  });

  it('is named by its local dates', () => {
    expect(
      seasonName(
        new Date('2026-01-31T21:00:00Z'),
        new Date('2026-02-28T21:00:00Z'),
        'Europe/Moscow',
      ),
    ).toBe('2026-02-01 – 2026-02-28');
  });
});
