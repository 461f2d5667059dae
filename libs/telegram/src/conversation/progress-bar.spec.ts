import { progressBar } from './progress-bar';

describe('progressBar', () => {
  it('draws the filled share and the floored percentage', () => {
    expect(progressBar(0)).toBe('▱▱▱▱▱▱▱▱▱▱ 0%');
    expect(progressBar(0.3)).toBe('▰▰▰▱▱▱▱▱▱▱ 30%');
    expect(progressBar(0.999)).toBe('▰▰▰▰▰▰▰▰▰▱ 99%');
    expect(progressBar(1)).toBe('▰▰▰▰▰▰▰▰▰▰ 100%');
    expect(progressBar(0.5, 4)).toBe('▰▰▱▱ 50%');
  });

  it('clamps out-of-range and non-numbers', () => {
    expect(progressBar(-1)).toBe('▱▱▱▱▱▱▱▱▱▱ 0%');
    expect(progressBar(7)).toBe('▰▰▰▰▰▰▰▰▰▰ 100%');
    expect(progressBar(Number.NaN)).toBe('▱▱▱▱▱▱▱▱▱▱ 0%');
  });
});
