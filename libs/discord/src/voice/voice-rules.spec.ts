import {
  earningUserIds,
  foldEarning,
  MINUTE_MS,
  minutesCompleted,
  minutesToCredit,
  setEarning,
  VoiceMember,
} from './voice-rules';

const AFK = 'afk';
const member = (userId: string, channelId: string | null, patch: Partial<VoiceMember> = {}) => ({
  userId,
  channelId,
  bot: false,
  selfDeaf: false,
  serverDeaf: false,
  roleIds: [],
  ...patch,
});

describe('earningUserIds', () => {
  it('pays two humans together in a channel', () => {
    expect(earningUserIds([member('a', 'v1'), member('b', 'v1')], AFK)).toEqual(
      new Set(['a', 'b']),
    );
  });

  it('does not pay someone alone, or alone with bots', () => {
    expect(earningUserIds([member('a', 'v1')], AFK)).toEqual(new Set());
    expect(earningUserIds([member('a', 'v1'), member('m', 'v1', { bot: true })], AFK)).toEqual(
      new Set(),
    );
  });

  it('counts company per channel', () => {
    expect(earningUserIds([member('a', 'v1'), member('b', 'v2')], AFK)).toEqual(new Set());
  });

  it('does not pay the deafened, but they still keep the other one company', () => {
    const self = earningUserIds([member('a', 'v1'), member('b', 'v1', { selfDeaf: true })], AFK);
    expect(self).toEqual(new Set(['a']));
    const server = earningUserIds(
      [member('a', 'v1', { serverDeaf: true }), member('b', 'v1')],
      AFK,
    );
    expect(server).toEqual(new Set(['b']));
  });

  it('never pays in the AFK channel', () => {
    expect(earningUserIds([member('a', AFK), member('b', AFK)], AFK)).toEqual(new Set());
  });

  it('ignores members out of voice', () => {
    expect(earningUserIds([member('a', 'v1'), member('b', null)], AFK)).toEqual(new Set());
  });
});

describe('earning time', () => {
  it('folds the running stretch and keeps running', () => {
    const start = { earningMs: 0, earningSince: 1_000 };
    expect(foldEarning(start, 61_000)).toEqual({ earningMs: 60_000, earningSince: 61_000 });
    expect(foldEarning({ earningMs: 5, earningSince: null }, 99_000)).toEqual({
      earningMs: 5,
      earningSince: null,
    });
  });

  it('adds nothing when the clock goes back', () => {
    expect(foldEarning({ earningMs: 10, earningSince: 5_000 }, 4_000).earningMs).toBe(10);
  });

  it('starts and stops stretches, keeping what was earned', () => {
    let clock = setEarning({ earningMs: 0, earningSince: null }, true, 0);
    clock = setEarning(clock, true, 30_000); // still earning: nothing lost, nothing doubled
    clock = setEarning(clock, false, 45_000);
    expect(clock).toEqual({ earningMs: 45_000, earningSince: null });
    clock = setEarning(clock, false, 100_000); // idle time is not earning time
    clock = setEarning(clock, true, 100_000);
    clock = foldEarning(clock, 115_000);
    expect(clock.earningMs).toBe(MINUTE_MS);
  });
});

describe('minutesToCredit', () => {
  it('credits whole minutes only, each once', () => {
    expect(minutesToCredit(59_999, 0)).toEqual([]);
    expect(minutesToCredit(60_000, 0)).toEqual([0]);
    expect(minutesToCredit(3 * MINUTE_MS + 59_000, 1)).toEqual([1, 2]);
    expect(minutesToCredit(3 * MINUTE_MS, 3)).toEqual([]);
  });
});

describe('minutesCompleted', () => {
  it('says when each whole minute of the running stretch completed', () => {
    const clock = { earningMs: 30_000, earningSince: 1_000_000 };
    // 30 s already earned: minute 0 completes 30 s into the stretch, minute 1 90 s into it.
    expect(minutesCompleted(clock, 1_000_000 + 100_000)).toEqual(
      new Map([
        [0, 1_030_000],
        [1, 1_090_000],
      ]),
    );
    expect(minutesCompleted({ earningMs: 0, earningSince: null }, 5 * MINUTE_MS)).toEqual(
      new Map(),
    );
  });
});
