/**
 * The pure arithmetic of the rank card and of its captions: no canvas, no I/O, so every rule is
 * unit-tested on its own (card-layout.spec.ts).
 */

/** Telegram's limit on a photo caption (characters, after entities parsing). */
export const TELEGRAM_CAPTION_LIMIT = 1024;

/** The filled share of the XP bar, 0..1: full at the top rank (nothing left to earn). */
export function progressFraction(xpIntoRank: number, xpForNextRank: number): number {
  if (xpForNextRank <= 0) return 1;
  const fraction = xpIntoRank / xpForNextRank;
  if (!Number.isFinite(fraction) || fraction <= 0) return 0;
  return Math.min(1, fraction);
}

/** Width in pixels of the filled part; a started bar shows at least its rounded cap. */
export function filledWidth(fraction: number, width: number, minVisible: number): number {
  if (fraction <= 0) return 0;
  return Math.max(minVisible, Math.round(width * Math.min(1, fraction)));
}

/** Up to two letters for the avatar placeholder: "Anna Petrova" -> "AP", "алиса" -> "А". */
export function initialsOf(name: string): string {
  const words = name
    .normalize('NFC')
    .split(/[\s_.-]+/u)
    .map((word) => word.replace(/[^\p{L}\p{N}]/gu, ''))
    .filter((word) => word.length > 0);
  const letters = words.slice(0, 2).map((word) => Array.from(word)[0]);
  return letters.join('').toLocaleUpperCase() || '?';
}

/**
 * The longest prefix of `text` (whole code points) that fits `maxWidth` with an ellipsis, or the
 * text itself when it fits. `measure` is the canvas's measureText width in the current font.
 */
export function fitText(text: string, maxWidth: number, measure: (text: string) => number): string {
  if (measure(text) <= maxWidth) return text;
  const chars = Array.from(text);
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (measure(`${chars.slice(0, middle).join('').trimEnd()}…`) <= maxWidth) low = middle;
    else high = middle - 1;
  }
  return `${chars.slice(0, low).join('').trimEnd()}…`;
}

export interface SplitCaption {
  /** What goes under the photo: the text itself, or its first part cut at a line or word. */
  caption: string;
  /** True when the caption is shortened: the full text then follows as its own message. */
  truncated: boolean;
}

/**
 * A caption of at most `limit` characters (UTF-16 units, as Telegram counts them). A longer text
 * is cut at the last line break (or else space) before the limit, with an ellipsis, never in the
 * middle of a surrogate pair.
 */
export function captionOf(text: string, limit = TELEGRAM_CAPTION_LIMIT): SplitCaption {
  if (text.length <= limit) return { caption: text, truncated: false };
  const room = limit - 1; // the ellipsis
  let cut = room;
  // Never split a surrogate pair (an emoji would become a broken character).
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  const head = text.slice(0, cut);
  const lineBreak = head.lastIndexOf('\n');
  const space = head.lastIndexOf(' ');
  const boundary = lineBreak > room / 2 ? lineBreak : space > room / 2 ? space : cut;
  return { caption: `${head.slice(0, boundary).trimEnd()}…`, truncated: true };
}

/** The 20 ranks' colours: cool greys for rookies through blues and purples to gold legends. */
const RANK_COLOURS = [
  '#9aa5b1',
  '#8fb3c9',
  '#6fb1d9',
  '#4fa3e0',
  '#3d8be0',
  '#4a74e0',
  '#5b63de',
  '#6f55d9',
  '#8650d4',
  '#9c4ccc',
  '#b148c0',
  '#c445ad',
  '#d44694',
  '#e04c78',
  '#e8595c',
  '#ee6b45',
  '#f2823a',
  '#f59b31',
  '#f7b52b',
  '#f8cd2a',
] as const;

export function rankColour(rankId: number): string {
  return RANK_COLOURS[Math.min(Math.max(rankId, 1), RANK_COLOURS.length) - 1];
}

/** 12345 -> "12 345" (ru) or "12,345" (en): the card's numbers read like the bots' texts. */
export function formatNumber(value: number, locale: 'ru' | 'en'): string {
  return new Intl.NumberFormat(locale === 'ru' ? 'ru-RU' : 'en-US').format(value);
}
