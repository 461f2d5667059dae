import {
  acceptableCorrelationId,
  combinedCorrelationId,
  currentCorrelationId,
  newCorrelationId,
  withCorrelation,
} from './correlation';

describe('correlation', () => {
  it('is visible inside the work, across awaits and timers, and gone outside it', async () => {
    expect(currentCorrelationId()).toBeUndefined();
    const seen = await withCorrelation('req-1', async () => {
      await Promise.resolve();
      const inTimer = await new Promise<string | undefined>((resolve) =>
        setTimeout(() => resolve(currentCorrelationId()), 1),
      );
      return [currentCorrelationId(), inTimer];
    });
    expect(seen).toEqual(['req-1', 'req-1']);
    expect(currentCorrelationId()).toBeUndefined();
  });

  it('keeps concurrent works apart, and the inner id wins while nested', async () => {
    const read = (id: string) =>
      withCorrelation(id, async () => {
        await new Promise((resolve) => setTimeout(resolve, id === 'a' ? 5 : 1));
        return currentCorrelationId();
      });
    expect(await Promise.all([read('a'), read('b')])).toEqual(['a', 'b']);
    expect(withCorrelation('outer', () => withCorrelation('inner', currentCorrelationId))).toBe(
      'inner',
    );
    expect(withCorrelation('outer', () => withCorrelation(null, currentCorrelationId))).toBe(
      'outer',
    );
  });

  it('accepts only short, plain ids from callers', () => {
    expect(acceptableCorrelationId('abc-123_x.y:z')).toBe('abc-123_x.y:z');
    expect(acceptableCorrelationId('has space')).toBeUndefined();
    expect(acceptableCorrelationId('a'.repeat(65))).toBeUndefined();
    expect(acceptableCorrelationId('line\nbreak')).toBeUndefined();
    expect(acceptableCorrelationId(['a'])).toBeUndefined();
  });

  it('makes prefixed ids and combines distinct ones', () => {
    expect(newCorrelationId('tg')).toMatch(/^tg-[0-9a-f-]{36}$/);
    expect(newCorrelationId('tg')).not.toBe(newCorrelationId('tg'));
    expect(combinedCorrelationId(['a', null, 'b', 'a', undefined])).toBe('a,b');
    expect(combinedCorrelationId([null])).toBeUndefined();
  });
});
