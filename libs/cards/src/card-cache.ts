/** How many cards the process keeps (about 40 KB each). */
export const CARD_CACHE_SIZE = 500;

interface Entry {
  version: string;
  png: Promise<Buffer>;
}

/**
 * Rendered cards by (account, language) holding their version: a lookup with the same version
 * is a hit, a newer version replaces the old card. Least recently used cards go first once the
 * cache is full. A card being drawn is shared, so twenty identical requests draw it once.
 */
export class CardCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly capacity = CARD_CACHE_SIZE) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * The card of this version if it is cached (drawn, or being drawn), as a most recent use;
   * undefined when it is not: nothing is drawn.
   */
  peek(slot: string, version: string): Promise<Buffer> | undefined {
    const entry = this.entries.get(slot);
    if (!entry || entry.version !== version) return undefined;
    // Map order is insertion order: re-inserting makes this the most recently used.
    this.entries.delete(slot);
    this.entries.set(slot, entry);
    return entry.png;
  }

  /** The cached card of this version, or the one `draw` makes (cached unless it fails). */
  async get(
    slot: string,
    version: string,
    draw: () => Promise<Buffer>,
  ): Promise<{ png: Buffer; cached: boolean }> {
    const cached = this.peek(slot, version);
    if (cached) return { png: await cached, cached: true };
    const png = draw();
    const fresh = { version, png };
    this.entries.delete(slot);
    this.entries.set(slot, fresh);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    try {
      return { png: await png, cached: false };
    } catch (error) {
      if (this.entries.get(slot) === fresh) this.entries.delete(slot);
      throw error;
    }
  }
}
