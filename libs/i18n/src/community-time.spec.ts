import { formatCommunityTime, timeZoneLabel } from './community-time';

describe('community time', () => {
  const winter = new Date('2026-03-02T10:00:00Z');
  const summer = new Date('2026-07-02T10:00:00Z');

  it('shows the local time with the zone named in the reader language', () => {
    expect(formatCommunityTime(winter, 'Europe/Moscow', 'en')).toBe(
      '2026-03-02 13:00 (Moscow Standard Time, GMT+3)',
    );
    expect(formatCommunityTime(winter, 'Europe/Moscow', 'ru')).toBe(
      '2026-03-02 13:00 (Москва, стандартное время, GMT+3)',
    );
  });

  it('names a zone without a name of its own by its offset only', () => {
    expect(formatCommunityTime(winter, 'Etc/GMT+12', 'en')).toBe('2026-03-01 22:00 (GMT-12)');
    expect(timeZoneLabel(winter, 'Etc/GMT+12', 'ru')).toBe('GMT-12');
  });

  it('follows daylight saving time', () => {
    expect(timeZoneLabel(winter, 'Europe/Berlin', 'en')).toBe(
      'Central European Standard Time, GMT+1',
    );
    expect(timeZoneLabel(summer, 'Europe/Berlin', 'en')).toBe(
      'Central European Summer Time, GMT+2',
    );
  });
});
