import { parseImportArgs } from './import-args';

describe('npm run import arguments', () => {
  it('reads each source and its flags', () => {
    expect(parseImportArgs(['mee6', 'f.json', '--dry-run', '--factor', '5'])).toEqual({
      kind: 'mee6',
      file: 'f.json',
      dryRun: true,
      factor: 5,
      applyRoleRewards: false,
    });
    const stage1 = parseImportArgs([
      'stage1',
      'postgres://x/y',
      '--tx-amount=sum',
      '--users-table',
      'members',
    ]);
    expect(stage1).toMatchObject({ kind: 'stage1', dryRun: false });
    expect(stage1.kind === 'stage1' && [stage1.schema.txAmount, stage1.schema.usersTable]).toEqual([
      'sum',
      'members',
    ]);
    expect(parseImportArgs(['revert', '12'])).toEqual({ kind: 'revert', runId: '12' });
  });

  it.each([
    [['mee6'], /Usage/],
    [['vk', 'f'], /Unknown source "vk"/],
    [['csv', 'f', '--factor', '5'], /Unknown option --factor for csv/],
    [['mee6', 'f', '--factor', '0'], /--factor takes a whole number/],
    [['stage1', 'url', '--tx-amount'], /--tx-amount takes a name/],
    [['revert', 'abc'], /revert takes a run id/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseImportArgs(argv)).toThrow(message);
  });
});
