import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { csvField } from './sources/csv';
import { CSV_COLUMNS } from './sources/csv.parser';

const PAGE = 5_000;

/**
 * Every live profile in the import CSV format, one line per account (its Telegram identity when
 * it has one, else its Discord one), so the file imports back into a fresh system as it is.
 * Keyset pages: memory stays flat whatever the community's size.
 */
@Injectable()
export class PlayersCsvExport {
  constructor(private readonly dataSource: DataSource) {}

  async *lines(): AsyncGenerator<string> {
    yield `${CSV_COLUMNS.join(',')}\n`;
    let after = '0';
    for (;;) {
      const rows: {
        id: string;
        platform: string;
        external_id: string;
        name: string | null;
        xp: string;
        coins: string;
      }[] = await this.dataSource.query(
        `SELECT a.id, i.platform, i.external_id, coalesce(i.display_name, i.username) AS name,
                a.xp, a.coins
           FROM accounts a
           JOIN LATERAL (SELECT platform, external_id, display_name, username FROM identities
                          WHERE account_id = a.id ORDER BY platform DESC LIMIT 1) i ON true
          WHERE a.merged_into IS NULL AND a.id > $1
          ORDER BY a.id LIMIT $2`,
        [after, PAGE],
      );
      if (rows.length === 0) return;
      yield (
        rows
          .map((r) =>
            [r.platform, r.external_id, csvField(r.name ?? ''), String(r.xp), String(r.coins)].join(
              ',',
            ),
          )
          .join('\n') + '\n'
      );
      after = String(rows[rows.length - 1].id);
      if (rows.length < PAGE) return;
    }
  }
}
