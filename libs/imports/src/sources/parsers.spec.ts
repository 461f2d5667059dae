import { parseCsv } from './csv.parser';
import { parseMee6 } from './mee6.parser';
import { mee6Pages, mee6Player, snowflake, TEST_GUILD_ID } from '../testing/mee6-fixtures';

describe('MEE6 parser', () => {
  const options = { guildId: TEST_GUILD_ID, factor: 10 };

  it('maps MEE6 level L to our rank L+1 through XP x10 (level >= 19 -> rank 20)', () => {
    // MEE6 cumulative XP at the start of levels 0..20 (its per-level cost 5L^2 + 50L + 100).
    let xp = 0;
    const players = [];
    for (let level = 0; level <= 21; level++) {
      players.push(mee6Player(snowflake(level), xp));
      xp += 5 * level * level + 50 * level + 100;
    }
    const plan = parseMee6(JSON.stringify(mee6Pages(players, 100)), options);
    expect(plan.players.map((p) => p.entries[0]?.xp ?? 0)).toEqual(players.map((p) => p.xp * 10));
  });

  it('keeps one row per player on repeated pages, with the higher XP', () => {
    const pages = mee6Pages(
      [mee6Player(snowflake(1), 10), mee6Player(snowflake(2), 5), mee6Player(snowflake(1), 30)],
      2,
    );
    const plan = parseMee6(JSON.stringify(pages), options);
    expect(plan.players.map((p) => [p.externalId, p.entries[0].key, p.entries[0].xp])).toEqual([
      [snowflake(1), `import:mee6:${snowflake(1)}`, 300],
      [snowflake(2), `import:mee6:${snowflake(2)}`, 50],
    ]);
    expect(plan.notes.map((n) => n.kind)).toEqual(['duplicate_dropped']);
  });

  it('offers role rewards as rank-role mappings (level L -> rank L+1, capped at 20)', () => {
    const pages = mee6Pages([mee6Player(snowflake(1), 10)], 1, {
      role_rewards: [
        { rank: 5, role: { id: '800000000000000005', name: 'Regular' } },
        { rank: 40, role: { id: '800000000000000040', name: 'Elder' } },
      ],
    });
    expect(parseMee6(JSON.stringify(pages), options).offeredRoleMappings).toEqual([
      { rankId: 6, discordRoleId: '800000000000000005', origin: 'MEE6 level 5 reward "Regular"' },
      { rankId: 20, discordRoleId: '800000000000000040', origin: 'MEE6 level 40 reward "Elder"' },
    ]);
  });

  it.each([
    ['a numeric id', { id: 1 }, /players\[0\], field id: must be a string/],
    ['a fractional xp', { xp: 1.5 }, /players\[0\], field xp: 1.5 is not a whole number/],
    ['an xp past SafeInt once multiplied', { xp: 2 ** 52 }, /field xp: .* passes/],
  ])('refuses %s', (_name, patch, message) => {
    const pages = mee6Pages([{ ...mee6Player(snowflake(1), 10), ...patch } as never], 1);
    expect(() => parseMee6(JSON.stringify(pages), options)).toThrow(message);
  });

  it('refuses without DISCORD_GUILD_ID and with a bad factor', () => {
    const text = JSON.stringify(mee6Pages([mee6Player(snowflake(1), 10)], 1));
    expect(() => parseMee6(text, { guildId: null, factor: 10 })).toThrow(/DISCORD_GUILD_ID/);
    expect(() => parseMee6(text, { ...options, factor: 0 })).toThrow(/field factor/);
  });
});

describe('CSV parser', () => {
  it('reads any column order, quoted fields with commas, quotes and line breaks', () => {
    const plan = parseCsv(
      'xp,coins,platform,external_id,display_name\n10,0,telegram,42,"a ""b"", c\nd"\n0,0,discord,123456789012345678,\n',
    );
    expect(plan.players).toEqual([
      {
        platform: 'telegram',
        externalId: '42',
        displayName: 'a "b", c\nd',
        entries: [{ key: 'import:csv:telegram:42', xp: 10, coins: 0 }],
        achievements: [],
      },
      {
        platform: 'discord',
        externalId: '123456789012345678',
        displayName: null,
        entries: [],
        achievements: [],
      },
    ]);
  });

  it('names the line of a record after a multi-line field', () => {
    expect(() =>
      parseCsv(
        'platform,external_id,display_name,xp,coins\ntelegram,1,"two\nlines",1,1\ntelegram,2,x,1.0,1\n',
      ),
    ).toThrow(/^line 4, field xp/);
  });

  it('refuses an unclosed quote', () => {
    expect(() =>
      parseCsv('platform,external_id,display_name,xp,coins\ntelegram,1,"open,1,1\n'),
    ).toThrow(/line 2, field csv: a quoted field is never closed/);
  });
});
