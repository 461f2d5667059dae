/**
 * Discord ids are snowflakes: milliseconds since the Discord epoch shifted left by 22 bits,
 * plus worker, process and increment bits. We generate real ones (19 digits today) because
 * discord.js reads timestamps out of them and @discordjs/rest only recognises 17-19 digit ids
 * as "major parameters" when it groups requests into rate-limit buckets.
 */
export const DISCORD_EPOCH_MS = 1_420_070_400_000n;

export class SnowflakeGenerator {
  private last = 0n;

  constructor(private readonly workerId = 1n) {}

  /** A fresh id, strictly greater than every id this generator handed out before. */
  next(at: number = Date.now()): string {
    const base = ((BigInt(at) - DISCORD_EPOCH_MS) << 22n) | ((this.workerId & 0x1fn) << 17n);
    // Many ids in the same millisecond (a builder creating a whole guild) still must be unique
    // and ordered, so we never go backwards: one above the last is always fine.
    const id = base > this.last ? base : this.last + 1n;
    this.last = id;
    return id.toString();
  }
}

/** When a snowflake was created (ms since the Unix epoch). */
export function snowflakeTimestamp(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH_MS);
}

/** Numeric comparison of two snowflakes (string order is wrong when lengths differ). */
export function compareSnowflakes(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
