import { memberCallOf, tallyMemberCalls } from './discord-calls';

const GUILD = '100000000000000001';
const ALICE = '300000000000000001';
const BOB = '300000000000000002';
const ALICE_DM = '400000000000000001';
const dmOwner = (channelId: string): string | undefined =>
  channelId === ALICE_DM ? ALICE : undefined;

const call = (method: string, path: string, status = 200, body?: unknown) => ({
  method,
  path,
  body,
  status,
  query: {},
  at: 0,
  injected: false,
});

describe('memberCallOf', () => {
  it('names the member and the kind of each call a rank-up makes', () => {
    expect(memberCallOf(call('GET', `/guilds/${GUILD}/members/${ALICE}`), dmOwner)).toEqual({
      userId: ALICE,
      kind: 'memberRead',
    });
    expect(
      memberCallOf(call('PUT', `/guilds/${GUILD}/members/${ALICE}/roles/${GUILD}7`), dmOwner),
    ).toEqual({ userId: ALICE, kind: 'rolePut' });
    expect(
      memberCallOf(call('DELETE', `/guilds/${GUILD}/members/${BOB}/roles/${GUILD}6`), dmOwner),
    ).toEqual({ userId: BOB, kind: 'roleDelete' });
    expect(
      memberCallOf(call('POST', '/users/@me/channels', 200, { recipient_id: ALICE }), dmOwner),
    ).toEqual({ userId: ALICE, kind: 'dmChannel' });
    expect(memberCallOf(call('POST', `/channels/${ALICE_DM}/messages`), dmOwner)).toEqual({
      userId: ALICE,
      kind: 'message',
    });
  });

  it('leaves out calls on no one member: role lists, listings, guild channels, member PATCH', () => {
    expect(memberCallOf(call('GET', `/guilds/${GUILD}/roles`), dmOwner)).toBeUndefined();
    expect(memberCallOf(call('GET', `/guilds/${GUILD}/members`), dmOwner)).toBeUndefined();
    expect(
      memberCallOf(call('POST', '/channels/500000000000000001/messages'), dmOwner),
    ).toBeUndefined();
    expect(
      memberCallOf(call('PATCH', `/guilds/${GUILD}/members/${ALICE}`), dmOwner),
    ).toBeUndefined();
    expect(memberCallOf(call('POST', '/users/@me/channels', 400, {}), dmOwner)).toBeUndefined();
  });
});

describe('tallyMemberCalls', () => {
  it("counts the chosen members' calls by kind, 429s included and shown apart", () => {
    const calls = [
      call('DELETE', `/guilds/${GUILD}/members/${ALICE}/roles/1`),
      call('PUT', `/guilds/${GUILD}/members/${ALICE}/roles/2`, 429),
      call('PUT', `/guilds/${GUILD}/members/${ALICE}/roles/2`),
      call('POST', `/channels/${ALICE_DM}/messages`),
      call('PUT', `/guilds/${GUILD}/members/${BOB}/roles/2`),
      call('GET', `/guilds/${GUILD}/roles`),
    ];
    expect(tallyMemberCalls(calls, new Set([ALICE]), dmOwner)).toEqual({
      byKind: { memberRead: 0, rolePut: 2, roleDelete: 1, dmChannel: 0, message: 1 },
      total: 4,
      rateLimited: 1,
    });
  });
});
