import { liveView } from '../components/live-view';
import { table } from '../components/table';
import { formatInt, formatTime, h } from '../dom';
import { gql } from '../graphql-client';
import { Page } from '../router';

const LEADERBOARD = `query Top($season: Int) {
  leaderboard(season: $season, first: 20) {
    season { id name startsAt endsAt status }
    entries { place accountId xp rank { id nameEn } achievements { code } }
  }
  seasons(first: 30) { id name status startsAt endsAt }
}`;

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
  rank: { id: number; nameEn: string } | null;
  achievements: { code: string }[];
}
interface Data {
  leaderboard: { season: Season | null; entries: Entry[] };
  seasons: Season[];
}

/**
 * Public: the open season's top players (or all-time, or a past season), refreshed in place.
 * The choice lives in the URL (?season=3, ?season=all) so it can be shared.
 */
export const leaderboardPage: Page = {
  path: '/leaderboard',
  title: 'Leaderboard',
  access: 'public',
  render(context) {
    const chosen = context.params.get('season');
    let season: number | null = chosen && chosen !== 'all' ? Number(chosen) : null;
    let allTime = chosen === 'all';
    const picker = h('select', { id: 'season-picker', name: 'season' });
    picker.addEventListener('change', () => {
      allTime = picker.value === 'all';
      season = allTime ? null : Number(picker.value);
      history.replaceState(null, '', `/leaderboard?season=${picker.value}`);
      void view.refresh();
    });

    const view = liveView(context, {
      load: async () => {
        // Without a choice: the open season, if there is one; else all-time.
        if (season === null && !allTime) {
          const { seasons } = await gql<{ seasons: Season[] }>(
            `{ seasons(first: 30) { id status } }`,
          );
          season = seasons.find((s) => s.status === 'open')?.id ?? null;
          allTime = season === null;
        }
        return gql<Data>(LEADERBOARD, { season: allTime ? null : season });
      },
      render: ({ leaderboard, seasons }) => {
        picker.replaceChildren(
          h('option', { value: 'all', selected: allTime }, 'All time'),
          ...seasons.map((s) =>
            h(
              'option',
              { value: String(s.id), selected: !allTime && s.id === season },
              `${s.name}${s.status === 'open' ? ' (current)' : ''}`,
            ),
          ),
        );
        const current = leaderboard.season;
        return [
          h(
            'p',
            { class: 'muted' },
            current
              ? `${current.name}: ${formatTime(current.startsAt)} – ${formatTime(current.endsAt)}, XP earned in the season`
              : 'All-time XP',
          ),
          table(
            [
              { title: '#', cell: (e) => String(e.place) },
              { title: 'player', cell: (e) => `#${e.accountId}` },
              { title: 'rank', cell: (e) => e.rank?.nameEn ?? '–' },
              { title: 'XP', cell: (e) => formatInt(e.xp) },
              {
                title: 'achievements',
                cell: (e) => e.achievements.map((a) => a.code).join(', '),
                narrowHidden: true,
              },
            ],
            leaderboard.entries,
            {
              empty: 'Nobody has earned XP here yet.',
              rowAttributes: (e) => ({ 'data-account-id': e.accountId }),
            },
          ),
        ];
      },
      everyMs: 10_000,
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
