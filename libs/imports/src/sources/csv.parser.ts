import { PLATFORMS, Platform } from '@ttfd/linking';
import { invalid } from '../import.error';
import { ImportPlan, MAX_AMOUNT, PlannedPlayer } from '../import-plan';
import { CsvSyntaxError, parseCsvRecords } from './csv';

/** The documented CSV (docs/imports.md): the export writes the same columns. */
export const CSV_COLUMNS = ['platform', 'external_id', 'display_name', 'xp', 'coins'] as const;
const EXTERNAL_ID = /^[0-9]{1,20}$/;
const WHOLE = /^[0-9]+$/;

/**
 * `platform,external_id,display_name,xp,coins`, one player per line. Every line is checked
 * before anything is returned; a player listed twice is refused (which line is right is the
 * operator's call, not ours).
 */
export function parseCsv(text: string): ImportPlan {
  let records: { line: number; fields: string[] }[];
  try {
    records = parseCsvRecords(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw invalid(`line ${error.line}`, 'csv', error.message);
    throw error;
  }
  if (records.length === 0) throw invalid('line 1', 'header', 'the file is empty');
  const header = records[0].fields.map((name) => name.trim().toLowerCase());
  const column = new Map<string, number>();
  for (const name of CSV_COLUMNS) {
    const index = header.indexOf(name);
    if (index < 0) {
      throw invalid('line 1', name, `missing column (the header is ${CSV_COLUMNS.join(',')})`);
    }
    column.set(name, index);
  }
  const seen = new Map<string, number>();
  const players: PlannedPlayer[] = [];
  for (const { line, fields } of records.slice(1)) {
    const where = `line ${line}`;
    if (fields.length !== header.length) {
      throw invalid(where, 'columns', `${fields.length} fields, the header has ${header.length}`);
    }
    const get = (name: (typeof CSV_COLUMNS)[number]) => fields[column.get(name)!].trim();
    const platform = get('platform').toLowerCase();
    if (!(PLATFORMS as readonly string[]).includes(platform)) {
      throw invalid(where, 'platform', `"${platform}" is not one of ${PLATFORMS.join(', ')}`);
    }
    const externalId = get('external_id');
    if (!EXTERNAL_ID.test(externalId)) {
      throw invalid(where, 'external_id', `"${externalId}" is not a numeric user id`);
    }
    const amounts = { xp: 0, coins: 0 };
    for (const name of ['xp', 'coins'] as const) {
      const raw = get(name);
      if (raw.startsWith('-')) throw invalid(where, name, `${raw} is negative`);
      const value = Number(raw);
      if (!WHOLE.test(raw) || !Number.isSafeInteger(value) || value > MAX_AMOUNT) {
        throw invalid(where, name, `"${raw}" is not a whole number from 0 to ${MAX_AMOUNT}`);
      }
      amounts[name] = value;
    }
    const subject = `${platform}:${externalId}`;
    const first = seen.get(subject);
    if (first !== undefined) {
      throw invalid(where, 'external_id', `${subject} is already on line ${first}`);
    }
    seen.set(subject, line);
    const name = get('display_name').split('\u0000').join('');
    players.push({
      platform: platform as Platform,
      externalId,
      displayName: name === '' ? null : name.slice(0, 100),
      entries:
        amounts.xp === 0 && amounts.coins === 0
          ? []
          : [{ key: `import:csv:${platform}:${externalId}`, ...amounts }],
      achievements: [],
    });
  }
  return { source: 'csv', players, notes: [], offeredRoleMappings: [] };
}
