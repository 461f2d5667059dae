import { liveView } from '../components/live-view';
import { errorBox, notice } from '../components/status';
import { table } from '../components/table';
import { failureBox, RoleNames, SyncFailure } from '../components/sync-failure';
import { fill, formatInt, h, num, timeAgo } from '../dom';
import { gql } from '../graphql-client';
import { Page } from '../router';
import { eventType, KNOWN_EVENT_TYPES, sourceWord, statusWord } from '../words';

const EVENT_FIELDS = `id type source accountId status attempts maxAttempts lastError payload
  correlationId createdAt updatedAt nextAttemptAt completedAt`;
const EVENTS = `query Events($filter: SyncEventFilter, $after: String) {
  syncEvents(filter: $filter, first: 50, after: $after) { events { ${EVENT_FIELDS} } endCursor hasNextPage }
}`;
// The failure only for the one event shown: a page of 50 stays within the query cost limit.
const EVENT = `query Event($id: ID!) { syncEvent(id: $id) { ${EVENT_FIELDS}
  failure { message httpStatus discordCode roleId memberId } } }`;
const ROLE_NAMES = `query RoleNames { guildRoles { roles { id name } } }`;
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
  /** Only in the detail query. */
  failure?: SyncFailure | null;
  correlationId: string | null;
  payload: unknown;
  createdAt: string;
  updatedAt: string;
  nextAttemptAt: string;
  completedAt: string | null;
}

const statusCell = (status: string) =>
  h('span', { class: `status-${status}`, 'data-status': status }, statusWord(status));

/** An account id as a link to its player page. */
const accountLink = (accountId: string | null) =>
  accountId
    ? h(
        'a',
        { href: `/player?platform=account&id=${accountId}`, 'data-link': true },
        `Account ${accountId}`,
      )
    : '–';

function detail(event: SyncEvent, names: RoleNames, retry: (id: string) => void): HTMLElement {
  return h(
    'section',
    { class: 'card', id: 'event-detail', 'data-event-id': event.id, 'data-status': event.status },
    h('h2', {}, `Event ${event.id}: ${eventType(event.type)}`),
    event.status === 'failed' ? failureBox(event.failure ?? null, event.lastError, names) : null,
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Status'),
      h('dd', { class: 'event-status' }, statusCell(event.status)),
      h('dt', {}, 'Attempts'),
      h('dd', {}, `${event.attempts} of ${event.maxAttempts}`),
      h('dt', {}, 'Player'),
      h('dd', {}, accountLink(event.accountId)),
      h('dt', {}, 'From'),
      h('dd', {}, sourceWord(event.source)),
      h('dt', {}, 'Correlation id'),
      h('dd', { class: 'event-correlation' }, event.correlationId ?? '–'),
      h('dt', {}, 'Created'),
      h('dd', {}, timeAgo(event.createdAt)),
      h('dt', {}, 'Next attempt'),
      h('dd', {}, event.status === 'pending' ? timeAgo(event.nextAttemptAt) : '–'),
      h('dt', {}, 'Completed'),
      h('dd', {}, timeAgo(event.completedAt)),
      h('dt', {}, 'Error'),
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

    let roleNames: Promise<RoleNames> | null = null;
    const namesOfRoles = () =>
      (roleNames ??= gql<{ guildRoles: { roles: { id: string; name: string }[] } }>(ROLE_NAMES)
        .then(({ guildRoles }) => new Map(guildRoles.roles.map((r) => [r.id, r.name])))
        .catch(() => new Map<string, string>()));

    const showDetail = async () => {
      if (!selected) return fill(detailBox);
      try {
        const { syncEvent } = await gql<{ syncEvent: SyncEvent | null }>(EVENT, { id: selected });
        const names = syncEvent?.status === 'failed' ? await namesOfRoles() : new Map();
        fill(
          detailBox,
          syncEvent ? detail(syncEvent, names, retryOne) : notice(`No event ${selected}.`, 'error'),
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
            { title: 'Event', cell: (e) => num(e.id), className: 'num' },
            { title: 'What', cell: (e) => eventType(e.type) },
            { title: 'Status', cell: (e) => statusCell(e.status) },
            {
              title: 'Tries',
              cell: (e) => num(`${formatInt(e.attempts)} of ${formatInt(e.maxAttempts)}`),
              className: 'num',
            },
            { title: 'Player', cell: (e) => accountLink(e.accountId), narrowHidden: true },
            { title: 'Created', cell: (e) => timeAgo(e.createdAt), narrowHidden: true },
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
      STATUSES.map((s) =>
        h('option', { value: s, selected: s === filter.status }, s ? statusWord(s) : 'Any'),
      ),
    );
    // A type from the URL that this list does not know yet stays choosable.
    const types =
      KNOWN_EVENT_TYPES.includes(filter.type) || !filter.type
        ? KNOWN_EVENT_TYPES
        : [...KNOWN_EVENT_TYPES, filter.type];
    const type = h(
      'select',
      { id: 'filter-type', name: 'type' },
      h('option', { value: '', selected: !filter.type }, 'Any'),
      types.map((t) => h('option', { value: t, selected: t === filter.type }, eventType(t))),
    );
    const account = h('input', {
      id: 'filter-account',
      name: 'accountId',
      value: filter.accountId,
      inputmode: 'numeric',
      pattern: '\\d*',
      placeholder: 'account id',
      size: 10,
    });
    const form = h(
      'form',
      { class: 'form-row', id: 'event-filter' },
      h('div', {}, h('label', { for: 'filter-status' }, 'Status'), status),
      h('div', {}, h('label', { for: 'filter-type' }, 'Type'), type),
      h('div', {}, h('label', { for: 'filter-account' }, 'Player (account id)'), account),
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
