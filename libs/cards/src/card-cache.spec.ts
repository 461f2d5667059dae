import { CardCache } from './card-cache';

describe('CardCache', () => {
  const png = (text: string) => Promise.resolve(Buffer.from(text));

  it('serves the same version from the cache and draws a new version', async () => {
    const cache = new CardCache(10);
    const draw = jest.fn(() => png('v1'));
    expect(await cache.get('a:en', 'v1', draw)).toEqual({ png: Buffer.from('v1'), cached: false });
    expect(await cache.get('a:en', 'v1', draw)).toEqual({ png: Buffer.from('v1'), cached: true });
    expect(draw).toHaveBeenCalledTimes(1);
    expect((await cache.get('a:en', 'v2', () => png('v2'))).cached).toBe(false);
    expect(cache.size).toBe(1);
  });

  it('peeks at a card without drawing: the same version only', async () => {
    const cache = new CardCache(10);
    expect(cache.peek('a:en', 'v1')).toBeUndefined();
    await cache.get('a:en', 'v1', () => png('v1'));
    expect(await cache.peek('a:en', 'v1')).toEqual(Buffer.from('v1'));
    expect(cache.peek('a:en', 'v2')).toBeUndefined();
    expect(cache.peek('a:ru', 'v1')).toBeUndefined();
  });

  it('shares a card being drawn', async () => {
    const cache = new CardCache(10);
    const draw = jest.fn(() => png('x'));
    await Promise.all([cache.get('a', 'v', draw), cache.get('a', 'v', draw)]);
    expect(draw).toHaveBeenCalledTimes(1);
  });

  it('drops the least recently used card when full', async () => {
    const cache = new CardCache(2);
    await cache.get('a', 'v', () => png('a'));
    await cache.get('b', 'v', () => png('b'));
    await cache.get('a', 'v', () => png('a')); // a is now the most recent
    await cache.get('c', 'v', () => png('c'));
    expect(cache.size).toBe(2);
    const drawB = jest.fn(() => png('b'));
    await cache.get('b', 'v', drawB);
    expect(drawB).toHaveBeenCalledTimes(1);
  });

  it('forgets a failed drawing', async () => {
    const cache = new CardCache(2);
    await expect(cache.get('a', 'v', () => Promise.reject(new Error('boom')))).rejects.toThrow();
    expect(cache.size).toBe(0);
  });
});
