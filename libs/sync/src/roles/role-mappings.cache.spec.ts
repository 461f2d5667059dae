import { RoleMappingsSnapshot, rolesEarned } from './role-mappings.cache';

const snapshot: RoleMappingsSnapshot = {
  version: 7n,
  managed: new Set(['r1', 'r4', 'a-win', 'a-linked', 'retired']),
  rankRoles: new Map([
    [1, 'r1'],
    [4, 'r4'],
  ]),
  achievementRoles: new Map([
    ['first_win', 'a-win'],
    ['linked', 'a-linked'],
    ['same_as_rank', 'r4'],
  ]),
};

describe('rolesEarned', () => {
  it("gives the current rank's role and every mapped achievement's role, sorted", () => {
    expect(rolesEarned(snapshot, 4, ['linked', 'first_win'])).toEqual(['a-linked', 'a-win', 'r4']);
  });

  it('gives nothing for an unmapped rank, unmapped achievements or no rank at all', () => {
    expect(rolesEarned(snapshot, 2, ['unmapped'])).toEqual([]);
    expect(rolesEarned(snapshot, null, [])).toEqual([]);
    expect(rolesEarned(snapshot, undefined, ['first_win'])).toEqual(['a-win']);
  });

  it('names a role once when an achievement maps to the rank role', () => {
    expect(rolesEarned(snapshot, 4, ['same_as_rank'])).toEqual(['r4']);
  });

  it('never gives a retired role: it is managed (to take back) but earned by nobody', () => {
    expect(rolesEarned(snapshot, 1, ['first_win', 'linked'])).not.toContain('retired');
  });
});
