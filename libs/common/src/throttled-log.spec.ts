import { describeError, ThrottledLog } from './throttled-log';

describe('ThrottledLog', () => {
  it('speaks once per interval per key, then says how many repeats it kept quiet', () => {
    let now = 0;
    const lines: string[] = [];
    const log = new ThrottledLog({ warn: (line) => lines.push(line) }, 60_000, () => now);
    expect(log.warn('redis', 'Redis down')).toBe(true);
    now = 1_000;
    expect(log.warn('redis', 'Redis down')).toBe(false);
    expect(log.warn('pg', 'Postgres down')).toBe(true);
    now = 30_000;
    log.warn('redis', 'Redis down');
    now = 61_000;
    expect(log.warn('redis', 'Redis down')).toBe(true);
    expect(lines).toEqual([
      'Redis down',
      'Postgres down',
      'Redis down (2 more since the last report)',
    ]);
  });
});

describe('describeError', () => {
  it('is one line with the class and code, never a stack', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED\n    at somewhere'), {
      code: 'ECONNREFUSED',
    });
    expect(describeError(error)).toBe('Error [ECONNREFUSED]: connect ECONNREFUSED');
    expect(describeError('plain')).toBe('plain');
  });
});
