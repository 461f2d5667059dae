/**
 * Draws the sample rank cards shown in docs/telegram.md and docs/discord.md (one per language)
 * with the real renderer and font: `TS_NODE_TRANSPILE_ONLY=true node -r ts-node/register
 * -r tsconfig-paths/register scripts/sample-cards.ts`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import 'reflect-metadata';
import { createCanvas } from '@napi-rs/canvas';
import { CardRenderer, cardData } from '@ttfd/cards';
import { rankProgress, type ProfileView } from '@ttfd/economy';

function profile(
  xp: number,
  coins: number,
  place: number,
  achievements: [string, string][],
): ProfileView {
  const p = rankProgress(xp);
  return {
    accountId: '1',
    xp,
    coins,
    rank: p.rank,
    nextRank: p.next,
    progress: { xpIntoRank: p.xpIntoRank, xpForNextRank: p.xpForNextRank, percent: p.percent },
    achievements: achievements.map(([nameRu, nameEn], index) => ({
      code: `sample-${index}`,
      nameRu,
      nameEn,
      descriptionRu: '',
      descriptionEn: '',
      unlockedAt: new Date(0),
    })),
    season: { seasonId: 1, place, xp: 1_200 },
  };
}

/** A stand-in profile picture: a gradient with a simple face, so no one's photo is committed. */
async function avatar(): Promise<Buffer> {
  const canvas = createCanvas(320, 320);
  const ctx = canvas.getContext('2d');
  const gradient = ctx.createLinearGradient(0, 0, 320, 320);
  gradient.addColorStop(0, '#4fa3e0');
  gradient.addColorStop(1, '#8650d4');
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, 320, 320);
  ctx.fillStyle = '#f2f4f8';
  ctx.beginPath();
  ctx.arc(160, 130, 62, 0, Math.PI * 2);
  ctx.arc(160, 330, 120, 0, Math.PI * 2);
  ctx.fill();
  return canvas.encode('png');
}

async function main(): Promise<void> {
  const renderer = new CardRenderer();
  const achievements: [string, string][] = [
    ['Первые шаги', 'First steps'],
    ['Болтун', 'Chatterbox'],
    ['Ночная смена', 'Night shift'],
    ['Везунчик', 'Lucky one'],
    ['Знаток', 'Quiz master'],
    ['Меценат', 'Patron'],
  ];
  const ru = cardData({
    profile: profile(19_870, 2_340, 3, achievements),
    locale: 'ru',
    displayName: 'Александра Соколова',
    avatar: { key: 'sample', load: async () => null },
  });
  const en = cardData({
    profile: profile(5_320, 410, 12, achievements.slice(0, 3)),
    locale: 'en',
    displayName: 'Alex Smith',
    avatar: null,
  });
  const docs = join(__dirname, '..', 'docs');
  writeFileSync(join(docs, 'rank-card-ru.png'), await renderer.render(ru, await avatar()));
  writeFileSync(join(docs, 'rank-card-en.png'), await renderer.render(en, null));
}

void main();
