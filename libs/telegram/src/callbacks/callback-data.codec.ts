import { createHmac, timingSafeEqual } from 'node:crypto';

/** Telegram refuses callback_data longer than 64 bytes. */
export const CALLBACK_DATA_MAX_BYTES = 64;
const VERSION = '1';
const SEPARATOR = ':';
/** 8 bytes of HMAC-SHA256 (64 bits, 11 base64url chars): enough against guessing a button. */
const MAC_BYTES = 8;
const PART = /^[A-Za-z0-9_-]*$/;

export interface CallbackPayload {
  /** Short action name, e.g. `q` (quiz answer) or `g` (start a game). */
  action: string;
  args: string[];
}

export type DecodeResult =
  | { ok: true; payload: CallbackPayload }
  | { ok: false; reason: 'malformed' | 'version' | 'forged' };

/**
 * Button data that is compact, versioned and tamper-proof: `1:action:arg...:mac`, where the MAC
 * covers the version, the action, the args and the id of the ONE user who may press it. A changed
 * byte, a button forwarded to someone else, or data made up by a client all fail verification.
 */
export class CallbackDataCodec {
  private readonly key: Buffer;

  constructor(secret: string) {
    // A purpose-bound key, so the secret's other uses never share MACs with buttons.
    this.key = createHmac('sha256', secret).update('ttfd:telegram:callback-data').digest();
  }

  encode(userId: number | string, action: string, args: (string | number)[] = []): string {
    const parts = [action, ...args.map(String)];
    for (const part of parts) {
      if (!PART.test(part) || part === '') {
        throw new Error(`callback data part ${JSON.stringify(part)} must be [A-Za-z0-9_-]+`);
      }
    }
    const body = [VERSION, ...parts].join(SEPARATOR);
    const data = `${body}${SEPARATOR}${this.mac(body, userId)}`;
    if (Buffer.byteLength(data) > CALLBACK_DATA_MAX_BYTES) {
      throw new Error(`callback data ${data} is longer than ${CALLBACK_DATA_MAX_BYTES} bytes`);
    }
    return data;
  }

  decode(data: string | undefined, userId: number | string): DecodeResult {
    if (!data || Buffer.byteLength(data) > CALLBACK_DATA_MAX_BYTES) {
      return { ok: false, reason: 'malformed' };
    }
    const parts = data.split(SEPARATOR);
    if (parts.length < 3) return { ok: false, reason: 'malformed' };
    if (parts[0] !== VERSION) return { ok: false, reason: 'version' };
    const mac = parts[parts.length - 1];
    const body = parts.slice(0, -1).join(SEPARATOR);
    const expected = Buffer.from(this.mac(body, userId));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, reason: 'forged' };
    }
    const [, action, ...args] = parts.slice(0, -1);
    return { ok: true, payload: { action, args } };
  }

  private mac(body: string, userId: number | string): string {
    return createHmac('sha256', this.key)
      .update(`${userId}${SEPARATOR}${body}`)
      .digest()
      .subarray(0, MAC_BYTES)
      .toString('base64url');
  }
}
