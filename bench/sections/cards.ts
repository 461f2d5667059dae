import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import 'reflect-metadata';
import { createCanvas } from '@napi-rs/canvas';
import { CardRenderer, type RankCardData } from '@ttfd/cards';
import { rankProgress } from '@ttfd/economy';
import { progress } from '../lib/progress';
import { QUICK, Section } from '../lib/section';
import { round } from '../lib/stats';

const SEQUENTIAL = QUICK ? 60 : 400;
const BURST = 20;
const BURST_ROUNDS = QUICK ? 3 : 15;

/**
 * Rank cards (issue 24): one card's render time (draw + avatar decode + PNG encode) one after
 * another, and the event loop's delay while 20 cards render at once, measured with
 * perf_hooks.monitorEventLoopDelay. Every card has its own XP, so none is a cache hit.
 */
export const section: Section = {
  name: 'cards',
  deadlineMs: QUICK ? 60_000 : 180_000,
  run: async () => {
    const renderer = new CardRenderer();
    const avatar = await avatarPng();
    let xp = 1_000;
    const card = (locale: 'ru' | 'en'): RankCardData => {
      xp += 37;
      const p = rankProgress(xp);
      const name = (rank: { nameRu: string; nameEn: string }) =>
        locale === 'ru' ? rank.nameRu : rank.nameEn;
      return {
        locale,
        displayName: locale === 'ru' ? 'Александра Смирнова' : 'Alexandra Smith',
        rank: { id: p.rank.id, name: name(p.rank) },
        nextRankName: p.next ? name(p.next) : null,
        xp,
        xpIntoRank: p.xpIntoRank,
        xpForNextRank: p.xpForNextRank,
        coins: Math.floor(xp / 10),
        seasonPlace: 3,
        achievements:
          locale === 'ru' ? ['Первые шаги', 'Болтун', 'Ночная смена'] : ['First steps', 'Chatty'],
        avatarKey: `bench-${xp}`,
      };
    };

    progress(`cards: warm-up and ${SEQUENTIAL} renders one after another`);
    for (let i = 0; i < 5; i++) await renderer.render(card('en'), avatar);
    const samples: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) {
      const started = performance.now();
      await renderer.render(card(i % 2 === 0 ? 'ru' : 'en'), i % 3 === 0 ? null : avatar);
      samples.push(performance.now() - started);
    }
    samples.sort((a, b) => a - b);
    const at = (q: number) =>
      round(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]);

    progress(`cards: ${BURST_ROUNDS} bursts of ${BURST} cards at once`);
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    let burstMs = 0;
    histogram.enable();
    for (let round_ = 0; round_ < BURST_ROUNDS; round_++) {
      const started = performance.now();
      await Promise.all(
        Array.from({ length: BURST }, (_, i) =>
          renderer.render(card(i % 2 === 0 ? 'ru' : 'en'), avatar),
        ),
      );
      burstMs = Math.max(burstMs, performance.now() - started);
    }
    histogram.disable();

    // The same time with nothing to do: what the machine alone does to the loop (its baseline).
    progress('cards: idle baseline');
    const idle = monitorEventLoopDelay({ resolution: 1 });
    idle.enable();
    const idleUntil = performance.now() + BURST_ROUNDS * burstMs * 0.5;
    while (performance.now() < idleUntil) await new Promise((resolve) => setTimeout(resolve, 10));
    idle.disable();
    const ns = 1e6;
    return {
      renders: samples.length,
      renderP50: at(0.5),
      renderP95: at(0.95),
      renderMax: round(samples[samples.length - 1]),
      burst: BURST,
      burstRounds: BURST_ROUNDS,
      burstMs: round(burstMs, 1),
      loopDelayP99: round(histogram.percentile(99) / ns),
      loopDelayMax: round(histogram.max / ns),
      idleDelayP99: round(idle.percentile(99) / ns),
      idleDelayMax: round(idle.max / ns),
    };
  },
};

async function avatarPng(): Promise<Buffer> {
  const canvas = createCanvas(320, 320);
  const ctx = canvas.getContext('2d');
  const gradient = ctx.createLinearGradient(0, 0, 320, 320);
  gradient.addColorStop(0, '#4fa3e0');
  gradient.addColorStop(1, '#e04c78');
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, 320, 320);
  return canvas.encode('png');
}
