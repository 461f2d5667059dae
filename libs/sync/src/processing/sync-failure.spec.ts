import { failureRecord } from './sync-failure';

describe('failureRecord', () => {
  it("reads Discord's code, the status, the role and the member from a refused role call", () => {
    const message =
      'roles: PUT role 1234567890123456789 on member 987654321098765432: Discord 50013 Missing Permissions (403)';
    expect(failureRecord(message)).toEqual({
      message,
      httpStatus: 403,
      discordCode: 50013,
      roleId: '1234567890123456789',
      memberId: '987654321098765432',
    });
  });

  it('names the role and member of a paused role, with no code (no call was made)', () => {
    const message =
      'roles: DELETE role 11 on member 22: role paused until 2026-12-03T10:00:00.000Z after repeated 403 refusals (no call made)';
    expect(failureRecord(message)).toEqual({
      message,
      httpStatus: null,
      discordCode: null,
      roleId: '11',
      memberId: '22',
    });
  });

  it('keeps only the message of any other failure', () => {
    expect(failureRecord('notify: connect ECONNREFUSED')).toEqual({
      message: 'notify: connect ECONNREFUSED',
      httpStatus: null,
      discordCode: null,
      roleId: null,
      memberId: null,
    });
  });
});
