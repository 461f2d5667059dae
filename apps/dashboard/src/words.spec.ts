import { failureAdvice } from './components/sync-failure';
import { dataWindow, niceCeiling } from './components/time-chart';
import { counted, eventType, humanize, ledgerReason } from './words';

describe('words for codes', () => {
  it('names known codes and turns unknown ones into words', () => {
    expect(ledgerReason('daily_reward')).toBe('Daily reward');
    expect(ledgerReason('game_quiz')).toBe('Quiz');
    expect(ledgerReason('xp_rule_bonus')).toBe('Xp rule bonus');
    expect(eventType('xp.changed')).toBe('XP changed');
    expect(humanize('unknownMembers')).toBe('unknown members');
    expect(counted(1, 'unknownMembers')).toBe('1 Discord member without an account');
    expect(counted(1_200, 'rolesExtra')).toBe('1,200 extra roles');
    expect(counted(2, 'newCounterKind')).toBe('2 new counter kind');
  });
});

describe('a failed event in sentences', () => {
  const names = new Map([['1180000000000000005', 'Rank 5']]);

  it('says which role and member Discord refused, and what to do', () => {
    const advice = failureAdvice(
      {
        message: 'Missing Permissions',
        httpStatus: 403,
        discordCode: 50013,
        roleId: '1180000000000000005',
        memberId: '410000000000000101',
      },
      null,
      names,
    );
    expect(advice?.what).toContain('“Rank 5” for Discord member 410000000000000101');
    expect(advice?.todo).toContain("Move the bot's role above “Rank 5”");
  });

  it('reads the error text of events without stored details', () => {
    expect(failureAdvice(null, 'DiscordAPIError[10011]: Unknown Role', names)?.todo).toContain(
      'Settings',
    );
    expect(failureAdvice(null, 'socket hang up', names)?.what).toBe('socket hang up');
    expect(failureAdvice(null, null, names)).toBeNull();
  });
});

describe('chart window and scale', () => {
  const at = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m)).toISOString();

  it('zooms to the buckets with data, keeping a single point', () => {
    const points = [0, 0, 3, 0, 5, 0].map((value, i) => ({ at: at(i * 10), value }));
    expect(dataWindow(points, 'bars').map((p) => p.value)).toEqual([3, 0, 5]);
    const one = [null, 7, null].map((value, i) => ({ at: at(i), value }));
    expect(dataWindow(one, 'line')).toEqual([{ at: at(1), value: 7 }]);
    expect(dataWindow([{ at: at(0), value: 0 }], 'bars')).toEqual([]);
  });

  it('rounds the top of the axis to a readable number', () => {
    expect(niceCeiling(0)).toBe(1);
    expect(niceCeiling(3.2)).toBe(5);
    expect(niceCeiling(1_234)).toBe(2_000);
    expect(niceCeiling(20)).toBe(20);
  });
});
