import { DEFAULT_STAGE1_SCHEMA, Stage1Schema, stage1Flag } from '@ttfd/imports';

export type ImportCommand =
  | {
      kind: 'mee6' | 'csv';
      file: string;
      dryRun: boolean;
      factor?: number;
      applyRoleRewards: boolean;
    }
  | { kind: 'stage1'; databaseUrl: string; dryRun: boolean; schema: Stage1Schema }
  | { kind: 'revert'; runId: string }
  | { kind: 'export'; file: string };

export const USAGE = `Usage:
  npm run import -- mee6 FILE [--dry-run] [--factor N] [--apply-role-rewards]
  npm run import -- csv FILE [--dry-run]
  npm run import -- stage1 DATABASE_URL [--dry-run] [--users-table NAME] [--tx-amount NAME] ...
  npm run import -- revert RUN_ID
  npm run import -- export FILE
See docs/imports.md.`;

export class UsageError extends Error {}

/** The command line, checked before anything is read or written. */
export function parseImportArgs(argv: string[]): ImportCommand {
  const [kind, target, ...rest] = argv;
  if (!kind || !target) throw new UsageError(USAGE);
  const flags = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    if (!flag.startsWith('--')) throw new UsageError(`Unexpected argument "${flag}"\n${USAGE}`);
    const [name, inline] = flag.split('=', 2);
    if (inline !== undefined) flags.set(name, inline);
    else if (rest[i + 1] !== undefined && !rest[i + 1].startsWith('--')) flags.set(name, rest[++i]);
    else flags.set(name, true);
  }
  const take = (name: string): string | true | undefined => {
    const value = flags.get(name);
    flags.delete(name);
    return value;
  };
  const bool = (name: string) => take(name) === true;
  let command: ImportCommand;
  switch (kind) {
    case 'mee6':
    case 'csv': {
      const dryRun = bool('--dry-run');
      let factor: number | undefined;
      const applyRoleRewards = kind === 'mee6' && bool('--apply-role-rewards');
      if (kind === 'mee6') {
        const raw = take('--factor');
        if (raw !== undefined) {
          factor = Number(raw);
          if (raw === true || !Number.isInteger(factor) || factor < 1 || factor > 1000) {
            throw new UsageError('--factor takes a whole number from 1 to 1000');
          }
        }
      }
      command = { kind, file: target, dryRun, factor, applyRoleRewards };
      break;
    }
    case 'stage1': {
      const schema = { ...DEFAULT_STAGE1_SCHEMA };
      for (const name of Object.keys(schema) as (keyof Stage1Schema)[]) {
        const value = take(stage1Flag(name));
        if (value === true) throw new UsageError(`${stage1Flag(name)} takes a name`);
        if (value !== undefined) schema[name] = value;
      }
      command = { kind, databaseUrl: target, dryRun: bool('--dry-run'), schema };
      break;
    }
    case 'revert':
      if (!/^[0-9]{1,18}$/.test(target)) throw new UsageError('revert takes a run id (digits)');
      command = { kind, runId: target };
      break;
    case 'export':
      command = { kind, file: target };
      break;
    default:
      throw new UsageError(`Unknown source "${kind}"\n${USAGE}`);
  }
  if (flags.size > 0) {
    throw new UsageError(`Unknown option ${[...flags.keys()].join(', ')} for ${kind}\n${USAGE}`);
  }
  return command;
}
