import { localDate, startOfLocalDate } from './calendar';

describe('calendar', () => {
  it('takes the date in the community time zone, not UTC', () => {
    // 21:30 UTC is already the next day in Moscow (UTC+3).
    expect(localDate(new Date('2026-03-01T21:30:00Z'), 'Europe/Moscow')).toBe('2026-03-02');
    expect(localDate(new Date('2026-03-01T20:59:59Z'), 'Europe/Moscow')).toBe('2026-03-01');
  });

  it('finds the instant a local day starts, across DST', () => {
    expect(startOfLocalDate('2026-03-02', 'Europe/Moscow').toISOString()).toBe(
      '2026-03-01T21:00:00.000Z',
    );
    expect(startOfLocalDate('2026-03-29', 'Europe/Berlin').toISOString()).toBe(
      '2026-03-28T23:00:00.000Z',
    );
    expect(startOfLocalDate('2026-03-30', 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T22:00:00.000Z',
    );
  });
});
