import { liveView } from '../components/live-view';
import { errorBox, notice } from '../components/status';
import { table } from '../components/table';
import { fill, formatTime, h } from '../dom';
import { gql } from '../graphql-client';
import { Page } from '../router';

const EVENT_FIELDS = `id type source accountId status attempts maxAttempts lastError payload
  correlationId createdAt updatedAt nextAttemptAt completedAt`;
const EVENTS = `query Events($filter: SyncEventFilter, $after: String) {
  syncEvents(filter: $filter, first: 50, after: $after) { events { ${EVENT_FIELDS} } endCursor hasNextPage }
}`;
const EVENT = `query Event($id: ID!) { syncEvent(id: $id) { ${EVENT_FIELDS} } }`;
const STATUSES = ['', 'pending', 'processing', 'completed', 'failed'];

interface SyncEvent {
  id: string;
  type: string;
  source: string;
  accountId: string | null;
  status: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  correlationId: string | null;
  payload: unknown;
  createdAt: string;
  updatedAt: string;
  nextAttemptAt: string;
  completedAt: string | null;
}

const statusCell = (status: string) => h('span', { class: `status-${status}` }, status);

function detail(event: SyncEvent, retry: (id: string) => void): HTMLElement {
  return h(
    'section',
    { class: 'card', id: 'event-detail', 'data-event-id': event.id, 'data-status': event.status },
    h('h2', {}, `Event ${event.id}: ${event.type}`),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'status'),
      h('dd', { class: 'event-status' }, statusCell(event.status)),
      h('dt', {}, 'attempts'),
      h('dd', {}, `${event.attempts} of ${event.maxAttempts}`),
      h('dt', {}, 'account'),
      h('dd', {}, event.accountId ?? '–'),
      h('dt', {}, 'source'),
      h('dd', {}, event.source),
      h('dt', {}, 'correlation id'),
      h('dd', { class: 'event-correlation' }, event.correlationId ?? '–'),
      h('dt', {}, 'created'),
      h('dd', {}, formatTime(event.createdAt)),
      h('dt', {}, 'next attempt'),
      h('dd', {}, event.status === 'pending' ? formatTime(event.nextAttemptAt) : '–'),
      h('dt', {}, 'completed'),
      h('dd', {}, formatTime(event.completedAt)),
      h('dt', {}, 'error'),
      h('dd', {}, event.lastError ? h('pre', { class: 'event-error' }, event.lastError) : '–'),
    ),
    h('h3', {}, 'Payload'),
    h('pre', { class: 'event-payload' }, JSON.stringify(event.payload, null, 2)),
    event.status === 'failed'
      ? h(
          'div',
          { class: 'actions' },
          h(
            'button',
            { type: 'button', id: 'retry-event', onclick: () => retry(event.id) },
            'Retry this event',
          ),
        )
      : null,
  );
}

export const syncEventsPage: Page = {
  path: '/events',
  title: 'Sync events',
  access: 'admin',
  render(context) {
    const filter = {
      status: context.params.get('status') ?? '',
      type: context.params.get('type') ?? '',
      accountId: context.params.get('accountId') ?? '',
    };
    let selected: string | null = context.params.get('id');
    let extra: SyncEvent[] = [];
    let cursor: { endCursor: string | null; hasNextPage: boolean } = {
      endCursor: null,
      hasNextPage: false,
    };
    const message = h('div', { class: 'form-message' });
    const detailBox = h('div', {});

    const variables = (after: string | null = null) => ({
      filter: {
        status: filter.status || undefined,
        type: filter.type || undefined,
        accountId: filter.accountId || undefined,
      },
      after,
    });

    const showDetail = async () => {
      if (!selected) return fill(detailBox);
      try {
        const { syncEvent } = await gql<{ syncEvent: SyncEvent | null }>(EVENT, { id: selected });
        fill(
          detailBox,
          syncEvent ? detail(syncEvent, retryOne) : notice(`No event ${selected}.`, 'error'),
        );
      } catch (error) {
        fill(detailBox, errorBox(error));
      }
    };

    const select = (event: SyncEvent) => {
      selected = event.id;
      syncParams();
      void showDetail();
    };

    const list = liveView(context, {
      load: async () => {
        const { syncEvents } = await gql<{
          syncEvents: { events: SyncEvent[]; endCursor: string | null; hasNextPage: boolean };
        }>(EVENTS, variables());
        if (extra.length === 0) cursor = syncEvents;
        // The detail follows the refresh too: a retried event is seen to complete.
        if (selected) void showDetail();
        return [...syncEvents.events, ...extra];
      },
      render: (events) => [
        table(
          [
            { title: 'id', cell: (e) => e.id },
            { title: 'type', cell: (e) => e.type },
            { title: 'status', cell: (e) => statusCell(e.status) },
            { title: 'tries', cell: (e) => `${e.attempts}/${e.maxAttempts}` },
            { title: 'account', cell: (e) => e.accountId ?? '–', narrowHidden: true },
            { title: 'created', cell: (e) => formatTime(e.createdAt), narrowHidden: true },
          ],
          events,
          {
            empty: 'No events match.',
            onRow: select,
            rowAttributes: (e) => ({
              'data-event-id': e.id,
              'aria-selected': String(e.id === selected),
            }),
          },
        ),
        cursor.hasNextPage
          ? h('button', { type: 'button', class: 'secondary', onclick: loadMore }, 'Load more')
          : h('span'),
      ],
      everyMs: 5000,
    });

    function loadMore() {
      gql<{ syncEvents: { events: SyncEvent[]; endCursor: string | null; hasNextPage: boolean } }>(
        EVENTS,
        variables(cursor.endCursor),
      )
        .then(({ syncEvents }) => {
          extra = [...extra, ...syncEvents.events];
          cursor = syncEvents;
          return list.refresh();
        })
        .catch((error: unknown) => fill(message, errorBox(error)));
    }

    function syncParams() {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value);
      if (selected) params.set('id', selected);
      const query = params.toString();
      history.replaceState(null, '', `/events${query ? `?${query}` : ''}`);
    }

    function retryOne(id: string) {
      fill(message, notice('Retrying…'));
      gql<{ retrySyncEvent: boolean }>(`mutation R($id: ID!) { retrySyncEvent(id: $id) }`, { id })
        .then(({ retrySyncEvent }) => {
          fill(
            message,
            retrySyncEvent
              ? notice(`Event ${id} is queued again.`)
              : notice(`Event ${id} was not failed any more.`, 'error'),
          );
          return Promise.all([showDetail(), list.refresh()]);
        })
        .catch((error: unknown) => fill(message, errorBox(error)));
    }

    function retryAll() {
      fill(message, notice('Retrying every failed event…'));
      gql<{ retryFailedSyncEvents: number }>(`mutation { retryFailedSyncEvents }`)
        .then(({ retryFailedSyncEvents: n }) => {
          fill(message, notice(`${n} failed event${n === 1 ? '' : 's'} queued again.`));
          return Promise.all([showDetail(), list.refresh()]);
        })
        .catch((error: unknown) => fill(message, errorBox(error)));
    }

    const status = h(
      'select',
      { id: 'filter-status', name: 'status' },
      STATUSES.map((s) => h('option', { value: s, selected: s === filter.status }, s || 'any')),
    );
    const type = h('input', {
      id: 'filter-type',
      name: 'type',
      value: filter.type,
      placeholder: 'rank.changed',
      size: 14,
    });
    const account = h('input', {
      id: 'filter-account',
      name: 'accountId',
      value: filter.accountId,
      inputmode: 'numeric',
      pattern: '\\d*',
      placeholder: 'id',
      size: 8,
    });
    const form = h(
      'form',
      { class: 'form-row', id: 'event-filter' },
      h('div', {}, h('label', { for: 'filter-status' }, 'Status'), status),
      h('div', {}, h('label', { for: 'filter-type' }, 'Type'), type),
      h('div', {}, h('label', { for: 'filter-account' }, 'Account'), account),
      h('button', { type: 'submit' }, 'Filter'),
      h(
        'button',
        { type: 'button', class: 'secondary', id: 'retry-all', onclick: retryAll },
        'Retry all failed',
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      filter.status = status.value;
      filter.type = type.value.trim();
      filter.accountId = account.value.trim();
      extra = [];
      syncParams();
      void list.refresh();
    });

    void showDetail();
    context.root.append(h('h1', {}, 'Sync events'), form, message, detailBox, list.element);
  },
};
