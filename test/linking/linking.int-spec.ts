import { DataSource } from 'typeorm';
import { ManualClock } from '@ttfd/clock';
import { LedgerService } from '@ttfd/economy';
import {
  AccountUnlink,
  IdentityService,
  LinkCodes,
  LinkingError,
  LinkingModule,
  LinkRedeemer,
} from '@ttfd/linking';
import { useEconomyApp } from '../support/economy-app';

/** Flow 6 against a real Postgres: codes, wrong tries, the merge and the unlink, on DATA. */
describe('Linking', () => {
  let codes: LinkCodes;
  let redeemer: LinkRedeemer;
  let unlinking: AccountUnlink;
  let identities: IdentityService;
  let ledger: LedgerService;
  let db: DataSource;
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  let nextId = 100_000;
  const newUser = () => String((nextId += 1));

  const world = useEconomyApp({
    clock,
    env: { SESSION_SECRET: 'linking-test-secret-0123456789abcdef0123' },
    imports: [LinkingModule],
  });

  beforeAll(() => {
    codes = world.get(LinkCodes);
    redeemer = world.get(LinkRedeemer);
    unlinking = world.get(AccountUnlink);
    identities = world.get(IdentityService);
    ledger = world.get(LedgerService);
    db = world.db;
  });

  async function refusal(promise: Promise<unknown>): Promise<LinkingError> {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LinkingError);
    return error as LinkingError;
  }

  const events = async (accountId: string) =>
    (
      (await db.query(`SELECT type, payload FROM sync_events WHERE account_id = $1 ORDER BY id`, [
        accountId,
      ])) as { type: string; payload: Record<string, unknown> }[]
    ).map((e) => e);

  describe('identities', () => {
    it('gives a player first seen one account, even for concurrent first messages', async () => {
      const user = newUser();
      const results = await Promise.all(
        Array.from({ length: 8 }, () => identities.resolve('telegram', user, { username: 'ann' })),
      );
      expect(new Set(results.map((r) => r.accountId)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const [{ n }] = await db.query(
        `SELECT count(*) AS n FROM identities WHERE platform = 'telegram' AND external_id = $1`,
        [user],
      );
      expect(Number(n)).toBe(1);
      // The losers' accounts were dropped with their transaction's work.
      const orphans = await db.query(
        `SELECT a.id FROM accounts a LEFT JOIN identities i ON i.account_id = a.id
          WHERE i.id IS NULL AND a.merged_into IS NULL`,
      );
      expect(orphans).toEqual([]);
    });

    it("writes one first-contact roles.resync with a new Discord identity's account, none otherwise", async () => {
      const member = newUser();
      const concurrent = await Promise.all(
        Array.from({ length: 8 }, () => identities.resolve('discord', member)),
      );
      const { accountId } = concurrent[0];
      expect(await events(accountId)).toEqual([
        { type: 'roles.resync', payload: { reason: 'first_contact' } },
      ]);
      await identities.resolve('discord', member, { username: 'renamed' });
      expect(await events(accountId)).toHaveLength(1);

      const player = await identities.resolve('telegram', newUser());
      expect(await events(player.accountId)).toEqual([]);
      // The losers of the race wrote nothing that outlived their dropped accounts.
      const [{ n }] = await db.query(
        `SELECT count(*) AS n FROM sync_events e LEFT JOIN accounts a ON a.id = e.account_id
          WHERE a.id IS NULL`,
      );
      expect(Number(n)).toBe(0);
    });

    it('updates username and locale when they change', async () => {
      const user = newUser();
      const { accountId } = await identities.resolve('discord', user, {
        username: 'a',
        locale: 'ru',
      });
      const again = await identities.resolve('discord', user, {
        username: 'b',
        displayName: 'Bee',
      });
      expect(again).toEqual({ accountId, created: false });
      expect(await identities.identitiesOf(accountId)).toEqual({
        discord: { externalId: user, username: 'b', displayName: 'Bee', locale: 'ru' },
      });
      expect(await identities.find('discord', user)).toBe(accountId);
      expect(await identities.find('discord', newUser())).toBeNull();
    });

    it("reads an identity's account and all its identities in one statement", async () => {
      const [telegramUser, discordUser] = [newUser(), newUser()];
      const { accountId } = await identities.resolve('telegram', telegramUser, {
        displayName: 'Tee',
      });
      await db.query(
        `INSERT INTO identities (account_id, platform, external_id, username, created_at, updated_at)
         VALUES ($1, 'discord', $2, 'dee', now(), now())`,
        [accountId, discordUser],
      );
      const expected = {
        accountId,
        identities: await identities.identitiesOf(accountId),
      };
      expect(expected.identities).toEqual({
        telegram: { externalId: telegramUser, displayName: 'Tee' },
        discord: { externalId: discordUser, username: 'dee' },
      });
      expect(await identities.identitiesOfIdentity('telegram', telegramUser)).toEqual(expected);
      expect(await identities.identitiesOfIdentity('discord', discordUser)).toEqual(expected);
      expect(await identities.identitiesOfIdentity('telegram', discordUser)).toBeNull();
    });
  });

  describe('codes', () => {
    it('issues 8 characters valid 10 minutes, and a new one invalidates the previous', async () => {
      const tg = newUser();
      const first = await codes.issueCode('telegram', tg);
      expect(first.code).toMatch(/^[A-Z2-9]{8}$/);
      expect(first.expiresAt.getTime() - clock.nowMs()).toBe(600_000);
      const stored = await db.query(`SELECT code_hash FROM link_codes`);
      expect(JSON.stringify(stored)).not.toContain(first.code);

      const second = await codes.issueCode('telegram', tg);
      const error = await refusal(redeemer.redeem('discord', newUser(), first.code));
      expect(error.code).toBe('LINK_CODE_EXPIRED');
      await expect(redeemer.redeem('discord', newUser(), second.code)).resolves.toBeDefined();
    });

    it('refuses an expired code', async () => {
      const { code } = await codes.issueCode('telegram', newUser());
      clock.advance(600_001);
      expect((await refusal(redeemer.redeem('discord', newUser(), code))).code).toBe(
        'LINK_CODE_EXPIRED',
      );
    });

    it('refuses reuse, and accepts lower case with dashes and spaces', async () => {
      const { code } = await codes.issueCode('discord', newUser());
      const typed = ` ${code.slice(0, 4).toLowerCase()}-${code.slice(4)} `;
      await redeemer.redeem('telegram', newUser(), typed);
      expect((await refusal(redeemer.redeem('telegram', newUser(), code))).code).toBe(
        'LINK_CODE_USED',
      );
    });

    it('after five wrong codes refuses even the right one until the window passes', async () => {
      const tg = newUser();
      const ds = newUser();
      const { code } = await codes.issueCode('telegram', tg);
      const wrong = ['AAAAAAAA', 'BBBB-BBBB', 'not a code', 'CCCCCCCC', 'DDDDDDDD'];
      for (const attempt of wrong) {
        expect((await refusal(redeemer.redeem('discord', ds, attempt))).code).toBe(
          'LINK_CODE_INVALID',
        );
        clock.advance(1_000);
      }
      const limited = await refusal(redeemer.redeem('discord', ds, code));
      expect(limited.code).toBe('LINK_TOO_MANY_ATTEMPTS');
      expect(limited.details.retryAfterSeconds).toBe(600 - 5);
      // Another redeemer is not affected; the code is still unused.
      const [{ consumed_at }] = await db.query(
        `SELECT consumed_at FROM link_codes ORDER BY id DESC LIMIT 1`,
      );
      expect(consumed_at).toBeNull();

      clock.advance(596_000); // the first wrong try leaves the window: 4 left inside it
      // The code itself has expired by now (issued 10 min + 1 s ago): issue a fresh one.
      const fresh = await codes.issueCode('telegram', tg);
      await expect(redeemer.redeem('discord', ds, fresh.code)).resolves.toBeDefined();
    });

    it('refuses a self-link and a code redeemed on the platform that issued it', async () => {
      const tg = newUser();
      const { code } = await codes.issueCode('telegram', tg);
      expect((await refusal(redeemer.redeem('telegram', tg, code))).code).toBe('LINK_SELF');
      expect((await refusal(redeemer.redeem('telegram', newUser(), code))).code).toBe(
        'LINK_SAME_PLATFORM',
      );
      // Refusals roll the consume back: the code still works from Discord.
      await expect(redeemer.redeem('discord', newUser(), code)).resolves.toBeDefined();
    });

    it('refuses when either account already holds the other platform', async () => {
      const tg = newUser();
      const ds = newUser();
      await redeemer.redeem('discord', ds, (await codes.issueCode('telegram', tg)).code);
      // The linked account cannot issue another code, and a fresh Telegram code cannot be
      // redeemed by the Discord user that already has a Telegram side.
      expect((await refusal(codes.issueCode('discord', ds))).code).toBe('LINK_ALREADY_LINKED');
      const other = await codes.issueCode('telegram', newUser());
      expect((await refusal(redeemer.redeem('discord', ds, other.code))).code).toBe(
        'LINK_ALREADY_LINKED',
      );
    });
  });

  describe('merge', () => {
    it('merges two accounts with XP and the same achievement into the Telegram side', async () => {
      const tg = newUser();
      const ds = newUser();
      const { accountId: tgAccount } = await identities.resolve('telegram', tg);
      const { accountId: dsAccount } = await identities.resolve('discord', ds);
      await ledger.award({
        accountId: tgAccount,
        xp: 3_000,
        coins: 40,
        reason: 'game_guess',
        source: 'telegram',
        idempotencyKey: `t1-${tg}`,
      });
      clock.advance(60_000);
      await ledger.award({
        accountId: dsAccount,
        xp: 2_000,
        coins: 5,
        reason: 'game_quiz',
        source: 'discord',
        idempotencyKey: `d1-${ds}`,
      });
      const earlier = await db.query(
        `SELECT unlocked_at FROM account_achievements WHERE account_id = $1 AND achievement_code = 'first_win'`,
        [tgAccount],
      );
      await db.query(
        `INSERT INTO game_sessions (account_id, game, status) VALUES ($1, 'quiz', 'active')`,
        [dsAccount],
      );
      const { code } = await codes.issueCode('discord', ds);
      const result = await redeemer.redeem('telegram', tg, code);
      expect(result).toEqual({ accountId: tgAccount, absorbedAccountId: dsAccount });

      const [survivor] = await db.query(`SELECT xp, coins, rank_id FROM accounts WHERE id = $1`, [
        tgAccount,
      ]);
      expect(survivor).toEqual({ xp: '5000', coins: '45', rank_id: 4 });
      const [sums] = await db.query(
        `SELECT sum(xp_delta) AS xp, sum(coins_delta) AS coins, count(*) AS n FROM ledger_entries WHERE account_id = $1`,
        [tgAccount],
      );
      expect(sums).toEqual({ xp: '5000', coins: '45', n: '2' });
      const [absorbed] = await db.query(
        `SELECT xp, coins, merged_into FROM accounts WHERE id = $1`,
        [dsAccount],
      );
      expect(absorbed).toEqual({ xp: '0', coins: '0', merged_into: tgAccount });
      const achievements = await db.query(
        `SELECT achievement_code, unlocked_at FROM account_achievements WHERE account_id IN ($1, $2) ORDER BY achievement_code`,
        [tgAccount, dsAccount],
      );
      expect(achievements.map((a: { achievement_code: string }) => a.achievement_code)).toEqual([
        'first_win',
        'linked',
      ]);
      expect(achievements[0].unlocked_at).toEqual(earlier[0].unlocked_at);
      expect(await identities.find('discord', ds)).toBe(tgAccount);
      const [game] = await db.query(`SELECT status FROM game_sessions WHERE account_id = $1`, [
        dsAccount,
      ]);
      expect(game.status).toBe('abandoned');

      const written = await events(tgAccount);
      expect(written.find((e) => e.type === 'account.linked')?.payload).toEqual({
        telegramAccountId: tgAccount,
        absorbedAccountId: dsAccount,
        discordUserId: ds,
        telegramUserId: tg,
      });
      expect(written.filter((e) => e.type === 'rank.changed').map((e) => e.payload)).toContainEqual(
        {
          from: 3,
          to: 4,
          xp: 5000,
        },
      );
      expect(
        written.filter((e) => e.type === 'achievement.unlocked').map((e) => e.payload),
      ).toContainEqual({
        code: 'linked',
      });
    });

    it('unlinks: the profile stays on Telegram, Discord starts an empty account', async () => {
      const tg = newUser();
      const ds = newUser();
      const { accountId } = await identities.resolve('telegram', tg);
      await ledger.award({
        accountId,
        xp: 1_500,
        reason: 'game_guess',
        source: 'telegram',
        idempotencyKey: `u-${tg}`,
      });
      await redeemer.redeem('discord', ds, (await codes.issueCode('telegram', tg)).code);

      const result = await unlinking.unlink('discord', ds);
      expect(result.telegramAccountId).toBe(accountId);
      expect(result.discordAccountId).not.toBe(accountId);
      expect(await identities.find('telegram', tg)).toBe(accountId);
      expect(await identities.find('discord', ds)).toBe(result.discordAccountId);
      const [fresh] = await db.query(`SELECT xp, coins, rank_id FROM accounts WHERE id = $1`, [
        result.discordAccountId,
      ]);
      expect(fresh).toEqual({ xp: '0', coins: '0', rank_id: 1 });
      const [kept] = await db.query(`SELECT xp FROM accounts WHERE id = $1`, [accountId]);
      expect(kept.xp).toBe('1500');
      expect((await events(result.discordAccountId)).map((e) => e.payload)).toEqual([
        {
          telegramAccountId: accountId,
          discordAccountId: result.discordAccountId,
          discordUserId: ds,
        },
      ]);
      expect((await refusal(unlinking.unlink('discord', ds))).code).toBe('LINK_NOT_LINKED');
    });
  });
});
