import { planRoleChanges, wantedRoles } from './role-plan';

describe('planRoleChanges', () => {
  const managed = ['rank4', 'rank5', 'ach_first_win', 'ach_linked'];

  it('swaps rank roles: removes the old one, adds the new one', () => {
    expect(planRoleChanges(['rank4', 'vip'], ['rank5'], managed)).toEqual({
      remove: ['rank4'],
      add: ['rank5'],
    });
  });

  it('does nothing when the member already converged', () => {
    expect(
      planRoleChanges(['rank5', 'ach_linked', 'vip'], ['rank5', 'ach_linked'], managed),
    ).toEqual({ remove: [], add: [] });
  });

  it('never removes roles it does not manage', () => {
    expect(planRoleChanges(['vip', 'moderator', 'rank4'], [], managed)).toEqual({
      remove: ['rank4'],
      add: [],
    });
  });

  it('stacks achievement roles', () => {
    expect(planRoleChanges([], ['rank5', 'ach_first_win', 'ach_linked'], managed)).toEqual({
      remove: [],
      add: ['ach_first_win', 'ach_linked', 'rank5'],
    });
  });
});

describe('wantedRoles', () => {
  it('takes the current rank role and every achievement role, skipping unmapped ones', () => {
    expect(wantedRoles('r5', ['a1', null, 'a2', undefined, 'a1'])).toEqual(['a1', 'a2', 'r5']);
    expect(wantedRoles(null, [])).toEqual([]);
  });
});
