import { applyXpRules, XpContext } from './xp-amount';
import { EMPTY_XP_RULES, XpRulesSnapshot } from './xp-rules.types';
import { parseCommunityTime } from './community-time';
import { renderAnnouncement, unknownPlaceholders } from './announcement-template';

const CHANNEL = '100000000000000001';
const OTHER_CHANNEL = '100000000000000002';
const BOOST = '200000000000000001';
const VIP = '200000000000000002';
const MUTED = '200000000000000003';

const rules = (patch: Partial<XpRulesSnapshot> = {}): XpRulesSnapshot => ({
  ...EMPTY_XP_RULES,
  version: 7,
  ...patch,
});
const message = (patch: Partial<XpContext> = {}): XpContext => ({
  source: 'discord_message',
  base: 20,
  at: new Date('2026-12-05T12:00:00Z'),
  channelId: CHANNEL,
  roleIds: [],
  maxXp: 100_000,
  ...patch,
});
const event = {
  id: '1',
  name: 'Weekend',
  multiplier: 2,
  sources: ['discord_message' as const, 'games' as const],
  startsAt: new Date('2026-12-05T10:00:00Z'),
  endsAt: new Date('2026-12-05T14:00:00Z'),
};

describe('applyXpRules', () => {
  it('pays the base with no rule, and says so', () => {
    expect(applyXpRules(rules(), message())).toEqual({
      earns: true,
      xp: 20,
      metadata: { rule: 'xp', rulesVersion: 7, source: 'discord_message', base: 20, multiplier: 1 },
    });
  });

  it('multiplies global x channel x best role x event', () => {
    const verdict = applyXpRules(
      rules({
        globalMultiplier: 1.5,
        channels: new Map([[CHANNEL, 2]]),
        roles: new Map([
          [BOOST, 1.25],
          [VIP, 1.5],
        ]),
        events: [event],
      }),
      message({ roleIds: [BOOST, VIP] }),
    );
    // 20 x 1.5 x 2 x 1.5 (the better role, not both) x 2 = 180
    expect(verdict).toMatchObject({
      earns: true,
      xp: 180,
      metadata: {
        multiplier: 9,
        global: 1.5,
        channel: { id: CHANNEL, multiplier: 2, from: 'rule' },
        role: { id: VIP, multiplier: 1.5 },
        event: { id: '1', name: 'Weekend', multiplier: 2 },
      },
    });
  });

  it('pays nothing in a no-XP channel or with a no-XP role, whatever else boosts', () => {
    const stored = rules({
      channels: new Map([[CHANNEL, 0]]),
      roles: new Map([
        [VIP, 3],
        [MUTED, 0],
      ]),
    });
    expect(applyXpRules(stored, message())).toMatchObject({ earns: false, why: 'no_xp_channel' });
    expect(
      applyXpRules(stored, message({ channelId: OTHER_CHANNEL, roleIds: [VIP, MUTED] })),
    ).toMatchObject({ earns: false, why: 'no_xp_role', metadata: { role: { id: MUTED } } });
  });

  it('keeps DISCORD_NO_XP_CHANNEL_IDS as the default a stored channel rule overrides', () => {
    const defaults = new Set([CHANNEL]);
    expect(applyXpRules(rules(), message({ defaultNoXpChannelIds: defaults }))).toMatchObject({
      earns: false,
      metadata: { channel: { from: 'DISCORD_NO_XP_CHANNEL_IDS' } },
    });
    expect(
      applyXpRules(
        rules({ channels: new Map([[CHANNEL, 1]]) }),
        message({ defaultNoXpChannelIds: defaults }),
      ),
    ).toMatchObject({ earns: true, xp: 20 });
  });

  it('applies an event only inside its window and to its sources', () => {
    const stored = rules({ events: [event] });
    expect(applyXpRules(stored, message({ at: new Date('2026-12-05T09:59:59Z') })).xp).toBe(20);
    expect(applyXpRules(stored, message({ at: new Date('2026-12-05T10:00:00Z') })).xp).toBe(40);
    expect(applyXpRules(stored, message({ at: new Date('2026-12-05T14:00:00Z') })).xp).toBe(20);
    expect(applyXpRules(stored, message({ source: 'discord_voice' })).xp).toBe(20);
  });

  it('never rounds a boosted-down amount to nothing, and caps at the award bound', () => {
    expect(applyXpRules(rules({ globalMultiplier: 0.01 }), message()).xp).toBe(1);
    const capped = applyXpRules(
      rules({ globalMultiplier: 10 }),
      message({ base: 20_000, maxXp: 100_000 }),
    );
    expect(capped).toMatchObject({ xp: 100_000, metadata: { capped: true } });
  });
});

describe('parseCommunityTime', () => {
  it('reads a local time in the community zone, and an ISO time as given', () => {
    expect(parseCommunityTime('2026-12-05T18:00', 'Europe/Moscow')?.toISOString()).toBe(
      '2026-12-05T15:00:00.000Z',
    );
    expect(parseCommunityTime('2026-12-05T18:00:00Z', 'Europe/Moscow')?.toISOString()).toBe(
      '2026-12-05T18:00:00.000Z',
    );
    expect(parseCommunityTime('2026-02-30T18:00', 'Europe/Moscow')).toBeNull();
    expect(parseCommunityTime('tomorrow', 'Europe/Moscow')).toBeNull();
  });
});

describe('announcement templates', () => {
  it('fills known placeholders and names unknown ones', () => {
    expect(
      renderAnnouncement('{player} is {rank} on {platform}! {player}', {
        player: 'Ann',
        rank: 'Knight',
        platform: 'Discord',
      }),
    ).toBe('Ann is Knight on Discord! Ann');
    expect(unknownPlaceholders('{player} {rnak} {}')).toEqual(['rnak', '']);
  });
});
