import { CALLBACK_DATA_MAX_BYTES, CallbackDataCodec } from './callback-data.codec';

describe('CallbackDataCodec', () => {
  const codec = new CallbackDataCodec('a-secret-of-some-length-0123456789');

  it('round-trips action and args for the user it was made for', () => {
    const data = codec.encode(42, 'q', ['0f3a9c2e-1b7d-4e55-9a0c-3f1e2d4c5b6a', 2]);
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
    expect(data.startsWith('1:q:')).toBe(true);
    expect(codec.decode(data, 42)).toEqual({
      ok: true,
      payload: { action: 'q', args: ['0f3a9c2e-1b7d-4e55-9a0c-3f1e2d4c5b6a', '2'] },
    });
  });

  it('refuses a button pressed by another user', () => {
    expect(codec.decode(codec.encode(42, 'u'), 43)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses any changed byte', () => {
    const data = codec.encode(42, 'q', ['abc', 1]);
    const tampered = data.replace(':1:', ':2:');
    expect(codec.decode(tampered, 42)).toEqual({ ok: false, reason: 'forged' });
    const flipped = data.slice(0, -1) + (data.endsWith('A') ? 'B' : 'A');
    expect(codec.decode(flipped, 42)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses data from another key, other versions and garbage', () => {
    const other = new CallbackDataCodec('another-secret-of-some-length-98765');
    expect(codec.decode(other.encode(42, 'u'), 42)).toEqual({ ok: false, reason: 'forged' });
    expect(codec.decode('2:u:AAAAAAAAAAA', 42)).toEqual({ ok: false, reason: 'version' });
    expect(codec.decode('claim', 42)).toEqual({ ok: false, reason: 'malformed' });
    expect(codec.decode(undefined, 42)).toEqual({ ok: false, reason: 'malformed' });
    expect(codec.decode('x'.repeat(65), 42)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses to build data Telegram would reject or that could be confused', () => {
    expect(() => codec.encode(42, 'q', ['a:b'])).toThrow();
    expect(() => codec.encode(42, 'q', ['x'.repeat(60)])).toThrow(/64 bytes/);
  });
});
