import { liveView } from '../components/live-view';
import { notice } from '../components/status';
import { formatDate, formatInt, h, num } from '../dom';
import { gql } from '../graphql-client';
import { Page } from '../router';
import { session } from '../session';

/** Rows per request; "Show more" adds another page. */
const PAGE = 25;

const ENTRY_FIELDS = `place accountId xp name hidden avatarUrl
  rank { id nameEn } progress { percent xpIntoRank xpForNextRank }`;
const TOP = `query Top($season: Int, $first: Int!, $after: String) {
  leaderboard(season: $season, first: $first, after: $after) {
    season { id name startsAt endsAt status }
    entries { ${ENTRY_FIELDS} } endCursor hasNextPage
  }
}`;
const SEASONS = `query Seasons { seasons(first: 30) { id name status startsAt endsAt } }`;
const MINE = `query Mine($season: Int) { myStanding(season: $season) { place xp accountId startCursor } }`;

interface Season {
  id: number;
  name: string;
  status: string;
  startsAt: string;
  endsAt: string;
}
interface Entry {
  place: number;
  accountId: string;
  xp: number;
  name: string;
  hidden: boolean;
  avatarUrl: string | null;
  rank: { id: number; nameEn: string } | null;
  progress: { percent: number; xpIntoRank: number; xpForNextRank: number };
}
interface LeaderboardPage {
  season: Season | null;
  entries: Entry[];
  endCursor: string | null;
  hasNextPage: boolean;
}
interface Standing {
  place: number;
  xp: number;
  accountId: string;
  startCursor: string | null;
}

/** Two letters for the avatar's place when there is no picture (or it fails to load). */
function initials(name: string): string {
  const letters = name
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => [...word][0] ?? '')
    .join('');
  return [...letters].slice(0, 2).join('').toUpperCase() || '?';
}

function avatar(entry: Entry): HTMLElement {
  const fallback = h(
    'span',
    { class: 'avatar avatar-initials', 'aria-hidden': 'true' },
    initials(entry.name),
  );
  if (!entry.avatarUrl) return fallback;
  const img = h('img', {
    class: 'avatar',
    src: entry.avatarUrl,
    alt: '',
    width: 40,
    height: 40,
    loading: 'lazy',
    decoding: 'async',
  });
  img.addEventListener('error', () => img.replaceWith(fallback));
  return img;
}

function placeBadge(place: number): HTMLElement {
  return h(
    'span',
    { class: `place${place <= 3 ? ` place-${place}` : ''}`, 'aria-label': `place ${place}` },
    formatInt(place),
  );
}

function row(entry: Entry, mine: string | null): HTMLElement {
  const progress = entry.progress;
  const title =
    progress.xpForNextRank > 0
      ? `${formatInt(progress.xpIntoRank)} of ${formatInt(progress.xpForNextRank)} XP to the next rank`
      : 'Top rank';
  return h(
    'li',
    {
      class: `lb-row${entry.place <= 3 ? ' podium' : ''}${entry.accountId === mine ? ' me' : ''}${entry.hidden ? ' hidden-player' : ''}`,
      'data-account-id': entry.accountId,
      'data-place': entry.place,
      'aria-current': entry.accountId === mine ? 'true' : null,
    },
    placeBadge(entry.place),
    avatar(entry),
    h(
      'div',
      { class: 'lb-who' },
      h('span', { class: 'lb-name' }, entry.name),
      h(
        'span',
        { class: 'lb-rank' },
        h('span', { class: 'rank-badge' }, entry.rank?.nameEn ?? 'No rank'),
        h(
          'span',
          {
            class: 'progress lb-progress',
            role: 'progressbar',
            'aria-valuemin': 0,
            'aria-valuemax': 100,
            'aria-valuenow': progress.percent,
            'aria-label': title,
            title,
          },
          h('span', { style: `width: ${progress.percent}%` }),
        ),
      ),
    ),
    h('span', { class: 'lb-xp' }, num(formatInt(entry.xp)), h('span', { class: 'muted' }, ' XP')),
  );
}

/**
 * Public: the open season's players best first (or all-time, or a past season), with names,
 * avatars from our own origin, rank and progress; the top three set apart; "Show more" pages
 * through everyone; a signed-in player sees their own place and jumps to their row in one
 * click. The choice lives in the URL (?season=3, ?season=all) so it can be shared. When the
 * open season has no XP yet, all-time is shown instead, and said.
 */
export const leaderboardPage: Page = {
  path: '/leaderboard',
  title: 'Leaderboard',
  access: 'public',
  render(context) {
    const chosen = context.params.get('season');
    /** null: all-time. */
    let season: number | null = chosen && chosen !== 'all' ? Number(chosen) : null;
    let explicit = chosen !== null;
    /** Cursors of the pages shown, in order (null: from place 1). */
    let pages: (string | null)[] = [null];
    let nextCursor: string | null = null;
    let seasons: Season[] | null = null;
    const isPlayer = session.role() === 'player';

    const picker = h('select', { id: 'season-picker', name: 'season' });
    picker.addEventListener('change', () => {
      season = picker.value === 'all' ? null : Number(picker.value);
      explicit = true;
      pages = [null];
      history.replaceState(null, '', `/leaderboard?season=${picker.value}`);
      void view.refresh();
    });

    const load = async () => {
      seasons ??= (await gql<{ seasons: Season[] }>(SEASONS)).seasons;
      let fallback: string | null = null;
      if (!explicit) {
        // Without a choice: the open season; all-time while it has no XP yet.
        const open = seasons.find((s) => s.status === 'open');
        season = open?.id ?? null;
        if (open) {
          const first = await gql<{ leaderboard: LeaderboardPage }>(TOP, {
            season: open.id,
            first: 1,
          });
          if (first.leaderboard.entries.length === 0) {
            season = null;
            fallback = `Nobody has earned XP in ${open.name} yet: showing all time.`;
          }
        }
      }
      const [loaded, mine] = await Promise.all([
        Promise.all(
          pages.map(
            async (after) =>
              (await gql<{ leaderboard: LeaderboardPage }>(TOP, { season, first: PAGE, after }))
                .leaderboard,
          ),
        ),
        isPlayer
          ? gql<{ myStanding: Standing | null }>(MINE, { season }).then((r) => r.myStanding)
          : Promise.resolve(null),
      ]);
      return { loaded, mine, fallback };
    };

    const view = liveView(context, {
      load,
      render: ({ loaded, mine, fallback }) => {
        picker.replaceChildren(
          h('option', { value: 'all', selected: season === null }, 'All time'),
          ...(seasons ?? []).map((s) =>
            h(
              'option',
              { value: String(s.id), selected: s.id === season },
              `${s.name}${s.status === 'open' ? ' (current)' : ''}`,
            ),
          ),
        );
        const current = loaded[0]?.season ?? null;
        const last = loaded[loaded.length - 1];
        nextCursor = last?.hasNextPage ? last.endCursor : null;
        const entries = loaded.flatMap((page) => page.entries);
        const jumped = pages[0] !== null;
        const mineId = mine?.accountId ?? null;
        return [
          fallback ? notice(fallback) : null,
          h(
            'p',
            { class: 'muted', id: 'leaderboard-subtitle' },
            current
              ? `${current.name} · ${formatDate(current.startsAt)} to ${formatDate(current.endsAt)} · XP earned in the season`
              : 'All time · every XP ever earned',
          ),
          mine
            ? h(
                'div',
                { class: 'card my-standing', id: 'my-standing' },
                h(
                  'span',
                  {},
                  'Your place: ',
                  h('strong', { 'data-field': 'my-place' }, formatInt(mine.place)),
                  ` · ${formatInt(mine.xp)} XP`,
                ),
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'secondary',
                    id: 'show-me',
                    onclick: () => {
                      pages = [mine.startCursor];
                      void view
                        .refresh()
                        .then(() =>
                          document.querySelector('.lb-row.me')?.scrollIntoView({ block: 'center' }),
                        );
                    },
                  },
                  'Show my row',
                ),
              )
            : null,
          jumped
            ? h(
                'button',
                {
                  type: 'button',
                  class: 'secondary',
                  id: 'back-to-top',
                  onclick: () => {
                    pages = [null];
                    void view.refresh();
                  },
                },
                'Back to the top',
              )
            : null,
          entries.length === 0
            ? h('p', { class: 'muted' }, 'Nobody has earned XP here yet.')
            : h(
                'ol',
                { class: 'leaderboard', id: 'leaderboard' },
                entries.map((e) => row(e, mineId)),
              ),
          nextCursor
            ? h(
                'button',
                {
                  type: 'button',
                  class: 'secondary',
                  id: 'show-more',
                  onclick: () => {
                    pages = [...pages, nextCursor];
                    void view.refresh();
                  },
                },
                'Show more',
              )
            : null,
        ];
      },
      everyMs: 15_000,
    });

    context.root.append(
      h('h1', {}, 'Leaderboard'),
      h(
        'div',
        { class: 'form-row' },
        h('div', {}, h('label', { for: 'season-picker' }, 'Season'), picker),
      ),
      view.element,
    );
  },
};
