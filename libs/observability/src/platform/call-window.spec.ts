import { CallWindow } from './call-window';

describe('CallWindow', () => {
  it('counts the calls and failures of the last minute only', () => {
    const window = new CallWindow();
    const start = 1_000_000_000;
    window.add(start, false);
    window.add(start + 500, true);
    window.add(start + 30_000, true);
    expect(window.stats(start + 30_000)).toEqual({ calls: 3, failures: 2, errorRate: 2 / 3 });
    // 60 s after the first second, its slot is out of the window.
    expect(window.stats(start + 60_000)).toEqual({ calls: 1, failures: 1, errorRate: 1 });
    expect(window.stats(start + 91_000)).toEqual({ calls: 0, failures: 0, errorRate: 0 });
  });

  it('reuses a slot a minute later without keeping its old counts', () => {
    const window = new CallWindow();
    window.add(5_000, true);
    window.add(65_000, false);
    expect(window.stats(65_000)).toEqual({ calls: 1, failures: 0, errorRate: 0 });
  });
});
