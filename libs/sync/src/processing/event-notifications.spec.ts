import { isBulkRoleChange } from './event-notifications';

describe('isBulkRoleChange', () => {
  it('is a resync after a mapping change, or one marked bulk', () => {
    expect(isBulkRoleChange('roles.resync', { reason: 'rank_mapping_changed' })).toBe(true);
    expect(isBulkRoleChange('roles.resync', { reason: 'achievement_mapping_changed' })).toBe(true);
    expect(isBulkRoleChange('roles.resync', { reason: 'import', bulk: true })).toBe(true);
  });

  it('is never a live change: a rank-up, an admin resync, a rejoin', () => {
    expect(isBulkRoleChange('rank.changed', { reason: 'rank_mapping_changed' })).toBe(false);
    expect(isBulkRoleChange('roles.resync', { reason: 'admin' })).toBe(false);
    expect(isBulkRoleChange('roles.resync', { reason: 'rejoin', bulk: 'yes' })).toBe(false);
  });
});
