import { h } from '../dom';

export interface Column<T> {
  title: string;
  cell: (row: T) => Node | string;
  /** Hidden on a phone's width (secondary detail). */
  narrowHidden?: boolean;
  /** A class for the column's cells (`num`: right-aligned tabular numbers). */
  className?: string;
}

/** A table in a horizontally scrollable box, so a wide table never widens the page. */
export function table<T>(
  columns: Column<T>[],
  rows: T[],
  options: {
    empty?: string;
    onRow?: (row: T) => void;
    rowAttributes?: (row: T) => Record<string, string>;
  } = {},
): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'muted' }, options.empty ?? 'Nothing yet.');
  const cls = (column: Column<T>) =>
    [column.narrowHidden ? 'hide-narrow' : '', column.className ?? ''].join(' ').trim() || null;
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          columns.map((c) => h('th', { class: cls(c) }, c.title)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((row) =>
          h(
            'tr',
            {
              ...(options.rowAttributes?.(row) ?? {}),
              class: options.onRow ? 'selectable' : null,
              tabindex: options.onRow ? 0 : null,
              onclick: options.onRow ? () => options.onRow?.(row) : null,
              onkeydown: options.onRow
                ? (event: Event) => {
                    if ((event as KeyboardEvent).key === 'Enter') options.onRow?.(row);
                  }
                : null,
            },
            columns.map((c) => h('td', { class: cls(c) }, c.cell(row))),
          ),
        ),
      ),
    ),
  );
}
