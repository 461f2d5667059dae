/** How many card file_ids the process remembers (a few dozen bytes each). */
export const CARD_FILE_IDS = 2_000;

/**
 * The file_id Telegram gave each rank card it took, by the card's version (what the card shows):
 * the same card is sent again by its id, without drawing or uploading it. File ids belong to the
 * bot; least recently used ones go first once full, and a refused one is forgotten.
 */
export class CardFileIds {
  private readonly ids = new Map<string, string>();

  constructor(private readonly capacity = CARD_FILE_IDS) {}

  get(version: string): string | undefined {
    const id = this.ids.get(version);
    if (id !== undefined) {
      // Map order is insertion order: re-inserting makes this the most recently used.
      this.ids.delete(version);
      this.ids.set(version, id);
    }
    return id;
  }

  remember(version: string, fileId: string): void {
    this.ids.delete(version);
    this.ids.set(version, fileId);
    while (this.ids.size > this.capacity) {
      this.ids.delete(this.ids.keys().next().value as string);
    }
  }

  forget(version: string): void {
    this.ids.delete(version);
  }
}
