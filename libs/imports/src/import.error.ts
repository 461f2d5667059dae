import { DomainError } from '@ttfd/common';

export const IMPORT_ERROR_CODES = [
  /** The file or source is malformed: details name the line or index and the field. */
  'IMPORT_INVALID',
  /** A MEE6 file of another guild than DISCORD_GUILD_ID. */
  'IMPORT_WRONG_GUILD',
  /** The source cannot be read (stage-1 database unreachable, missing table or column). */
  'IMPORT_SOURCE_UNAVAILABLE',
  'IMPORT_NOT_FOUND',
  /** Revert of a run that is not completed (running, failed, or already reverted). */
  'IMPORT_NOT_REVERTIBLE',
] as const;
export type ImportErrorCode = (typeof IMPORT_ERROR_CODES)[number];

/** A refused import. Thrown before anything is written. */
export class ImportError extends DomainError<ImportErrorCode> {}

/** A malformed input, located: `line 14, field xp: "12a" is not a whole number`. */
export function invalid(where: string, field: string, problem: string): ImportError {
  return new ImportError('IMPORT_INVALID', `${where}, field ${field}: ${problem}`, {
    where,
    field,
  });
}
