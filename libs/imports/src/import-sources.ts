import { ImportError } from './import.error';
import { ImportPlan, ImportSource } from './import-plan';
import { parseCsv } from './sources/csv.parser';
import { DEFAULT_MEE6_FACTOR, parseMee6 } from './sources/mee6.parser';

/** What a file-based source needs besides the file. */
export interface FileImportOptions {
  guildId: string | null;
  factor?: number;
}

/** A file of a file-based source (MEE6 JSON, CSV), validated into a plan. */
export function planFromFile(
  source: ImportSource,
  text: string,
  options: FileImportOptions,
): ImportPlan {
  switch (source) {
    case 'mee6':
      return parseMee6(text, {
        guildId: options.guildId,
        factor: options.factor ?? DEFAULT_MEE6_FACTOR,
      });
    case 'csv':
      return parseCsv(text);
    case 'stage1':
      throw new ImportError(
        'IMPORT_INVALID',
        'stage1 reads the stage-1 database, not a file: use npm run import -- stage1 DATABASE_URL',
        { where: 'request', field: 'source' },
      );
  }
}
