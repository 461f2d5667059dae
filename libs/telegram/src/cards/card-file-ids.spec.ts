import { CardFileIds } from './card-file-ids';

describe('CardFileIds', () => {
  it('remembers a file_id per card version until forgotten', () => {
    const ids = new CardFileIds(10);
    expect(ids.get('v1')).toBeUndefined();
    ids.remember('v1', 'file-1');
    expect(ids.get('v1')).toBe('file-1');
    ids.forget('v1');
    expect(ids.get('v1')).toBeUndefined();
  });

  it('drops the least recently used id when full', () => {
    const ids = new CardFileIds(2);
    ids.remember('a', '1');
    ids.remember('b', '2');
    ids.get('a'); // a is now the most recent
    ids.remember('c', '3');
    expect(ids.get('b')).toBeUndefined();
    expect(ids.get('a')).toBe('1');
    expect(ids.get('c')).toBe('3');
  });
});
