import { timeChart } from '../components/time-chart';
import { liveView } from '../components/live-view';
import { formatDuration, formatInt, formatNumber, h } from '../dom';
import { gql } from '../graphql-client';
import { Page } from '../router';

const OVERVIEW = `query Overview {
  syncStats(windowMinutes: 15) {
    byStatus { key count } throughputPerMinute oldestPendingAgeMs lagMs { p50 p95 }
  }
  communityOverview(hours: 6, bucketMinutes: 10) {
    players linkedPlayers linkedShare xpAwardedToday bucketMinutes
    series { at completed lagP95Ms }
  }
}`;

interface OverviewData {
  syncStats: {
    byStatus: { key: string; count: number }[];
    throughputPerMinute: number;
    oldestPendingAgeMs: number | null;
    lagMs: { p50: number | null; p95: number | null };
  };
  communityOverview: {
    players: number;
    linkedPlayers: number;
    linkedShare: number;
    xpAwardedToday: number;
    bucketMinutes: number;
    series: { at: string; completed: number; lagP95Ms: number | null }[];
  };
}

/** A figure: `data-stat` names it and `data-value` holds the raw number (the tests read both). */
function stat(name: string, label: string, value: number | null, text: string): HTMLElement {
  return h(
    'div',
    { class: 'stat', 'data-stat': name, 'data-value': value === null ? '' : String(value) },
    h('div', { class: 'stat-value' }, text),
    h('div', { class: 'stat-label' }, label),
  );
}

function render({ syncStats: sync, communityOverview: community }: OverviewData): Node[] {
  const count = (status: string) => sync.byStatus.find((s) => s.key === status)?.count ?? 0;
  const failed = count('failed');
  const perMinute = community.series.map((point) => ({
    at: point.at,
    value: point.completed / community.bucketMinutes,
  }));
  return [
    h(
      'div',
      { class: 'stats' },
      stat('players', 'players', community.players, formatInt(community.players)),
      stat(
        'linkedShare',
        `linked (${formatInt(community.linkedPlayers)})`,
        community.linkedShare,
        `${formatNumber(community.linkedShare * 100, 0)}%`,
      ),
      stat(
        'xpAwardedToday',
        'XP awarded today',
        community.xpAwardedToday,
        formatInt(community.xpAwardedToday),
      ),
      stat(
        'throughputPerMinute',
        'events / min (15 min)',
        sync.throughputPerMinute,
        formatNumber(sync.throughputPerMinute, 2),
      ),
      stat('pending', 'pending', count('pending'), formatInt(count('pending'))),
      stat('failed', 'failed', failed, formatInt(failed)),
      stat(
        'oldestPendingAgeMs',
        'oldest pending',
        sync.oldestPendingAgeMs,
        formatDuration(sync.oldestPendingAgeMs),
      ),
      stat('lagP95', 'lag p95 (15 min)', sync.lagMs.p95, formatDuration(sync.lagMs.p95)),
    ),
    failed > 0
      ? h(
          'p',
          { class: 'notice error' },
          `${formatInt(failed)} failed event${failed === 1 ? '' : 's'}: `,
          h('a', { href: '/events?status=failed', 'data-link': true }, 'review and retry'),
        )
      : h('span'),
    h(
      'div',
      { class: 'charts' },
      timeChart({
        title: `Throughput, events/min (last 6 h, ${community.bucketMinutes}-min buckets)`,
        points: perMinute,
        kind: 'bars',
        format: (v) => formatNumber(v, 1),
      }),
      timeChart({
        title: 'Lag p95, created → completed',
        points: community.series.map((point) => ({ at: point.at, value: point.lagP95Ms })),
        kind: 'line',
        format: formatDuration,
      }),
    ),
  ];
}

export const overviewPage: Page = {
  path: '/',
  title: 'Overview',
  access: 'admin',
  render(context) {
    // Every 3 s: the overview is the page left open on a wall screen.
    const view = liveView(context, {
      load: () => gql<OverviewData>(OVERVIEW),
      render,
      everyMs: 3000,
    });
    context.root.append(h('h1', {}, 'Overview'), view.element);
  },
};
