import { Injectable } from '@nestjs/common';
import { createCanvas, loadImage, type Image, type SKRSContext2D } from '@napi-rs/canvas';
import { translate } from '@ttfd/i18n';
import {
  filledWidth,
  fitText,
  formatNumber,
  initialsOf,
  progressFraction,
  rankColour,
} from './card-layout';
import { CARD_FONT, registerCardFonts } from './fonts';
import type { RankCardData } from './rank-card';

export const CARD_WIDTH = 900;
export const CARD_HEIGHT = 320;

const PAD = 32;
const AVATAR = { x: 140, y: 150, radius: 92 };
const COLUMN_X = 270;
const COLUMN_WIDTH = CARD_WIDTH - COLUMN_X - PAD;
const BAR = { y: 112, height: 30 };
const COLOURS = {
  background: '#1b1e2b',
  panel: '#242838',
  track: '#373c52',
  text: '#f2f4f8',
  muted: '#9aa3b8',
  badge: '#30354a',
};

/**
 * Cards drawn at once. Drawing runs on the event loop, encoding on the thread pool: a few at a
 * time keep both busy, and between two cards the loop serves everything else.
 */
const CONCURRENT_RENDERS = 2;

const font = (size: number, bold = false) => `${bold ? 'bold ' : ''}${size}px "${CARD_FONT}"`;

/**
 * Draws a rank card as a PNG. Drawing takes a few milliseconds on the calling thread; the PNG
 * encoding, the expensive part, runs on libuv's thread pool (`canvas.encode` is asynchronous),
 * so the event loop keeps serving while cards are made.
 */
@Injectable()
export class CardRenderer {
  private count = 0;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor() {
    registerCardFonts();
  }

  /** Cards drawn by this process (the cache's hits do not count): tests and the bench read it. */
  get renders(): number {
    return this.count;
  }

  async render(data: RankCardData, avatar: Buffer | null): Promise<Buffer> {
    this.count++;
    await this.turn();
    try {
      const picture = avatar ? await decode(avatar) : null;
      // A turn of the event loop of its own: twenty cards asked at once never draw back to back.
      await new Promise((resolve) => setImmediate(resolve));
      return await this.draw(data, picture);
    } finally {
      // The slot passes straight to the next card waiting, if any.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** Waits for a free slot among CONCURRENT_RENDERS, then holds it. */
  private async turn(): Promise<void> {
    if (this.running < CONCURRENT_RENDERS) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private async draw(data: RankCardData, picture: Image | null): Promise<Buffer> {
    const canvas = createCanvas(CARD_WIDTH, CARD_HEIGHT);
    const ctx = canvas.getContext('2d');
    const accent = rankColour(data.rank.id);
    const t = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) =>
      translate(data.locale, key, params);

    roundedRect(ctx, 0, 0, CARD_WIDTH, CARD_HEIGHT, 24);
    ctx.clip(); // the accent strip follows the rounded corners
    ctx.fillStyle = COLOURS.background;
    ctx.fill();
    ctx.fillStyle = accent;
    ctx.fillRect(0, 0, 10, CARD_HEIGHT);

    drawAvatar(ctx, picture, data.displayName, accent);

    // Header: rank on the right, the name takes what is left.
    ctx.textBaseline = 'alphabetic';
    ctx.textAlign = 'right';
    ctx.font = font(18);
    ctx.fillStyle = COLOURS.muted;
    ctx.fillText(t('card.rank', { id: data.rank.id }), CARD_WIDTH - PAD, 50);
    ctx.font = font(28, true);
    ctx.fillStyle = accent;
    const rankName = fitText(data.rank.name, 260, (text) => ctx.measureText(text).width);
    ctx.fillText(rankName, CARD_WIDTH - PAD, 88);
    const rankWidth = ctx.measureText(rankName).width;

    ctx.textAlign = 'left';
    ctx.font = font(36, true);
    ctx.fillStyle = COLOURS.text;
    const nameRoom = COLUMN_WIDTH - rankWidth - 24;
    ctx.fillText(
      fitText(data.displayName, nameRoom, (text) => ctx.measureText(text).width),
      COLUMN_X,
      88,
    );

    // The XP bar and its numbers.
    const fraction = data.nextRankName ? progressFraction(data.xpIntoRank, data.xpForNextRank) : 1;
    roundedRect(ctx, COLUMN_X, BAR.y, COLUMN_WIDTH, BAR.height, BAR.height / 2);
    ctx.fillStyle = COLOURS.track;
    ctx.fill();
    const filled = filledWidth(fraction, COLUMN_WIDTH, BAR.height);
    if (filled > 0) {
      roundedRect(ctx, COLUMN_X, BAR.y, filled, BAR.height, BAR.height / 2);
      ctx.fillStyle = accent;
      ctx.fill();
    }
    ctx.font = font(18);
    ctx.fillStyle = COLOURS.muted;
    const progressText = data.nextRankName
      ? t('card.progress', {
          into: formatNumber(data.xpIntoRank, data.locale),
          needed: formatNumber(data.xpForNextRank, data.locale),
          next: data.nextRankName,
        })
      : t('card.maxRank', { xp: formatNumber(data.xp, data.locale) });
    ctx.fillText(
      fitText(progressText, COLUMN_WIDTH - 80, (text) => ctx.measureText(text).width),
      COLUMN_X,
      BAR.y + BAR.height + 26,
    );
    ctx.textAlign = 'right';
    ctx.font = font(18, true);
    ctx.fillStyle = COLOURS.text;
    ctx.fillText(`${Math.floor(fraction * 100)}%`, CARD_WIDTH - PAD, BAR.y + BAR.height + 26);

    // Three figures: XP, coins, season place.
    const figures: [string, string][] = [
      [t('card.xp'), formatNumber(data.xp, data.locale)],
      [t('card.coins'), formatNumber(data.coins, data.locale)],
      [
        t('card.season'),
        data.seasonPlace === null
          ? t('card.noSeasonPlace')
          : t('card.seasonPlace', { place: formatNumber(data.seasonPlace, data.locale) }),
      ],
    ];
    const figureWidth = (COLUMN_WIDTH - 2 * 16) / figures.length;
    figures.forEach(([label, value], index) => {
      const x = COLUMN_X + index * (figureWidth + 16);
      roundedRect(ctx, x, 182, figureWidth, 62, 12);
      ctx.fillStyle = COLOURS.panel;
      ctx.fill();
      ctx.textAlign = 'left';
      ctx.font = font(15);
      ctx.fillStyle = COLOURS.muted;
      ctx.fillText(
        fitText(label, figureWidth - 28, (s) => ctx.measureText(s).width),
        x + 14,
        204,
      );
      ctx.font = font(24, true);
      ctx.fillStyle = COLOURS.text;
      ctx.fillText(
        fitText(value, figureWidth - 28, (s) => ctx.measureText(s).width),
        x + 14,
        234,
      );
    });

    drawBadges(ctx, data, t('card.noAchievements'), (count) =>
      t('card.moreAchievements', { count }),
    );

    return canvas.encode('png');
  }
}

async function decode(bytes: Buffer): Promise<Image | null> {
  try {
    return await loadImage(bytes);
  } catch {
    return null; // not a picture after all: the initials stand in
  }
}

function drawAvatar(
  ctx: SKRSContext2D,
  picture: Image | null,
  displayName: string,
  accent: string,
): void {
  const { x, y, radius } = AVATAR;
  ctx.save();
  ctx.beginPath();
  ctx.arc(x, y, radius, 0, Math.PI * 2);
  ctx.closePath();
  ctx.clip();
  if (picture) {
    ctx.drawImage(picture, x - radius, y - radius, radius * 2, radius * 2);
  } else {
    ctx.fillStyle = COLOURS.track;
    ctx.fillRect(x - radius, y - radius, radius * 2, radius * 2);
    ctx.fillStyle = COLOURS.text;
    ctx.font = font(64, true);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(initialsOf(displayName), x, y + 4);
  }
  ctx.restore();
  ctx.beginPath();
  ctx.arc(x, y, radius + 3, 0, Math.PI * 2);
  ctx.lineWidth = 6;
  ctx.strokeStyle = accent;
  ctx.stroke();
  ctx.textBaseline = 'alphabetic';
}

/** Achievement names as pills on one line; what does not fit is counted as "+N". */
function drawBadges(
  ctx: SKRSContext2D,
  data: RankCardData,
  none: string,
  more: (count: number) => string,
): void {
  const top = 264;
  const height = 32;
  const right = CARD_WIDTH - PAD;
  ctx.font = font(16);
  ctx.textAlign = 'left';
  if (data.achievements.length === 0) {
    ctx.fillStyle = COLOURS.muted;
    ctx.fillText(none, COLUMN_X, top + 22);
    return;
  }
  let x = COLUMN_X;
  const overflowRoom = ctx.measureText(more(99)).width + 28;
  for (let index = 0; index < data.achievements.length; index++) {
    const left = data.achievements.length - index;
    const label = fitText(data.achievements[index], 220, (s) => ctx.measureText(s).width);
    const width = ctx.measureText(label).width + 28;
    const room = right - x - (left > 1 ? overflowRoom : 0);
    if (width > room) {
      pill(ctx, x, top, ctx.measureText(more(left)).width + 28, height, more(left), COLOURS.muted);
      return;
    }
    pill(ctx, x, top, width, height, label, COLOURS.text);
    x += width + 10;
  }
}

function pill(
  ctx: SKRSContext2D,
  x: number,
  y: number,
  width: number,
  height: number,
  label: string,
  colour: string,
): void {
  roundedRect(ctx, x, y, width, height, height / 2);
  ctx.fillStyle = COLOURS.badge;
  ctx.fill();
  ctx.fillStyle = colour;
  ctx.fillText(label, x + 14, y + 22);
}

function roundedRect(
  ctx: SKRSContext2D,
  x: number,
  y: number,
  width: number,
  height: number,
  radius: number,
): void {
  const r = Math.min(radius, width / 2, height / 2);
  ctx.beginPath();
  ctx.roundRect(x, y, width, height, r);
  ctx.closePath();
}
