/**
 * The lock order (docs/economy-and-games.md): every transaction that locks two of accounts,
 * voice_sessions and game_sessions, run against its conflicting partner on the same player,
 * concurrently, many times. None may die of `deadlock detected`.
 */
import { DataSource } from 'typeorm';
import { ManualClock } from '@ttfd/clock';
import { VoiceCreditor, VoiceSessionRepository } from '@ttfd/discord';
import { AccountsService, LedgerService, ledgerDrift, SeasonsService } from '@ttfd/economy';
import { DailyService, GamesModule, GuessService } from '@ttfd/games';
import {
  AccountUnlink,
  IdentityService,
  LinkCodes,
  LinkingModule,
  LinkRedeemer,
} from '@ttfd/linking';
import { useEconomyApp } from '../support/economy-app';

const ROUNDS = 25;
const OWNER = '000000000000001:lock-order-test';

describe('lock order: conflicting pairs never deadlock', () => {
  let db: DataSource;
  let codes: LinkCodes;
  let redeemer: LinkRedeemer;
  let unlinking: AccountUnlink;
  let identities: IdentityService;
  let guess: GuessService;
  let daily: DailyService;
  let repository: VoiceSessionRepository;
  let creditor: VoiceCreditor;
  const clock = new ManualClock('2026-04-01T10:00:00Z');
  let nextUser = 700_000;
  const newUser = () => String((nextUser += 1));

  const world = useEconomyApp({
    clock,
    env: { SESSION_SECRET: 'lock-order-test-secret-0123456789abcdef' },
    imports: [LinkingModule, GamesModule],
  });

  beforeAll(async () => {
    db = world.db;
    codes = world.get(LinkCodes);
    redeemer = world.get(LinkRedeemer);
    unlinking = world.get(AccountUnlink);
    identities = world.get(IdentityService);
    guess = world.get(GuessService);
    daily = world.get(DailyService);
    repository = new VoiceSessionRepository(db);
    creditor = new VoiceCreditor(
      db,
      repository,
      world.get(AccountsService),
      world.get(LedgerService),
    );
    await world.get(SeasonsService).ensureOpen();
  });

  /** A Telegram player and a Discord player, the Discord one in voice. */
  async function players() {
    const telegramUser = newUser();
    const discordUser = newUser();
    await identities.resolve('telegram', telegramUser);
    const { accountId: discordAccount } = await identities.resolve('discord', discordUser);
    const sessionId = (await repository.open({
      accountId: discordAccount,
      discordUserId: discordUser,
      channelId: '300000000000000001',
      at: clock.now(),
      owner: OWNER,
    }))!;
    return { telegramUser, discordUser, discordAccount, sessionId };
  }

  const credit = (sessionId: string, minute: number) =>
    creditor.credit({
      sessionId,
      owner: OWNER,
      channelId: '300000000000000001',
      minutes: [minute],
      xpPerMinute: 10,
      earningMs: (minute + 1) * 60_000,
      creditedMinutes: minute + 1,
      at: clock.now(),
      close: false,
    });

  /** Runs both at once; any failure other than a business refusal fails the test. */
  async function race(...work: (() => Promise<unknown>)[]): Promise<void> {
    const results = await Promise.allSettled(work.map((run) => run()));
    for (const result of results) {
      if (result.status === 'rejected') {
        const error = result.reason as Error & { code?: string };
        // Losing a race to a merge is a refusal with a code, never a database error.
        if (typeof error.code === 'string' && /^(GAME|LINK)_/.test(error.code)) continue;
        throw error;
      }
    }
  }

  it(`a voice checkpoint and /link (the merge), ${ROUNDS} times`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const player = await players();
      const { code } = await codes.issueCode('telegram', player.telegramUser);
      await race(
        () => credit(player.sessionId, 0),
        () => credit(player.sessionId, 1),
        () => redeemer.redeem('discord', player.discordUser, code),
      );
    }
    expect(await ledgerDrift(db)).toEqual([]);
  });

  it(`a voice checkpoint and /unlink, ${ROUNDS} times`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const player = await players();
      const { code } = await codes.issueCode('telegram', player.telegramUser);
      await redeemer.redeem('discord', player.discordUser, code);
      await race(
        () => credit(player.sessionId, 0),
        () => unlinking.unlink('discord', player.discordUser),
        () => credit(player.sessionId, 1),
      );
    }
    expect(await ledgerDrift(db)).toEqual([]);
  });

  it(`a game answer and the merge that ends the game, ${ROUNDS} times`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const player = await players();
      const game = await guess.start(player.discordAccount);
      const [{ state }]: { state: { secret: number } }[] = await db.query(
        `SELECT state FROM game_sessions WHERE id = $1`,
        [game.sessionId],
      );
      const { code } = await codes.issueCode('telegram', player.telegramUser);
      await race(
        () => guess.guess(player.discordAccount, game.sessionId, state.secret, 'discord'),
        () => redeemer.redeem('discord', player.discordUser, code),
        () => credit(player.sessionId, 0),
      );
    }
    expect(await ledgerDrift(db)).toEqual([]);
  });

  it(`a season close and awards whose callers hold an account (daily, voice, merge), ${ROUNDS} times`, async () => {
    const seasons = world.get(SeasonsService);
    for (let round = 0; round < ROUNDS; round++) {
      const player = await players();
      const { code } = await codes.issueCode('telegram', player.telegramUser);
      const open = (await seasons.current())!;
      await race(
        () => daily.claim(player.discordAccount, 'discord'),
        () => credit(player.sessionId, 0),
        () => seasons.close(open.id),
        () => redeemer.redeem('discord', player.discordUser, code),
      );
    }
    expect(await ledgerDrift(db)).toEqual([]);
    // Every ledger row joined a season, and each season's scores are its rows.
    const [{ n }]: { n: number }[] = await db.query(
      `SELECT count(*)::int AS n FROM ledger_entries WHERE season_id IS NULL`,
    );
    expect(n).toBe(0);
  });

  it('closeLeftOpen reports how many sessions it closed', async () => {
    await db.query(`UPDATE voice_sessions SET status = 'closed', closed_at = last_checkpoint_at
                     WHERE status = 'open'`);
    expect(await repository.closeLeftOpen('999999999999999:next')).toBe(0);
    await players();
    await players();
    await players();
    expect(await repository.closeLeftOpen('999999999999999:next')).toBe(3);
  });
});
