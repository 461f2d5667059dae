/** What a section prints: its name and flat figures. */
export type SectionResult = { name: string } & Record<string, unknown>;

export interface BenchReport {
  quick: boolean;
  startedAt: string;
  durationSeconds: number;
  machine: { cpus: string; memoryGb: number; node: string; platform: string };
  results: SectionResult[];
  failures: string[];
}

type Row = [figure: string, value: string, baseline: string, ratio: string, goal: string];

/** One Markdown table: each figure beside its baseline and the ratio, then the machine. */
export function renderMarkdown(report: BenchReport): string {
  const rows: Row[] = report.results.flatMap(rowsOf);
  const kept = report.results.filter(
    (result) => String(result.measuredAt ?? report.startedAt) < report.startedAt,
  );
  const lines = [
    `# Benchmark${report.quick ? ' (quick: small sizes, not a measurement)' : ''}`,
    '',
    `Machine: ${report.machine.cpus}, ${report.machine.memoryGb} GB RAM, Node ${report.machine.node}, ${report.machine.platform}. ` +
      `Run ${report.startedAt}, ${report.durationSeconds} s.`,
    ...(kept.length > 0
      ? [
          '',
          `Kept from earlier runs (this run measured only some sections): ${kept
            .map((result) => `${result.name} measured ${String(result.measuredAt)}`)
            .join(', ')}.`,
        ]
      : []),
    '',
    '| figure | value | baseline | ratio | goal |',
    '|---|---|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
  ];
  if (report.failures.length > 0) lines.push(`Failed: ${report.failures.join('; ')}`, '');
  return `${lines.join('\n')}\n`;
}

function rowsOf(result: SectionResult): Row[] {
  const v = (key: string): string => {
    const value = result[key];
    return value === undefined || value === null ? '-' : String(value);
  };
  switch (result.name) {
    case 'floor-awards':
      return [
        ['1. Floor: raw award transaction (pg, 16 conns)', `${v('floorTps')} tx/s`, '-', '-', '-'],
        [
          `2. Awards: award() x${v('awards')}, 16 producers, ${v('accounts')} accounts`,
          `${v('awardsPerSecond')} /s`,
          `floor ${v('floorTps')} tx/s`,
          v('awardsToFloor'),
          '>= 1.2',
        ],
        [
          `2. Discord message path (gate, identity, award) x${v('messages')}, 16 producers`,
          `${v('messagesPerSecond')} /s`,
          `floor ${v('floorTps')} tx/s`,
          v('messagesToFloor'),
          '>= 0.6',
        ],
        [
          '2. Round trips (SQL + Redis) per plain award / per message / per floor transaction',
          `${v('awardRoundTrips')} / ${v('messageRoundTrips')} / ${v('floorRoundTrips')}`,
          '-',
          '-',
          'award: 1',
        ],
        ['6. Peak RSS during 2', `${v('peakRssMb')} MB`, '-', '-', '-'],
      ];
    case 'sync-pipeline':
      return [
        [
          `3. Sync latency commit -> gateway at ${v('latencyRate')}/s (p50 / p99 / max; after ${v('warmUpSeconds')} s at the rate)`,
          `${v('latencyP50')} / ${v('latencyP99')} / ${v('latencyMax')} ms`,
          `bare BullMQ ${v('bareP50')} / ${v('bareP99')} / ${v('bareMax')} ms; the app's first ${v('warmUpSeconds')} s ${v('coldP50')} / ${v('coldP99')} ms`,
          `p99 ${v('latencyP99MinusBare')} ms over bare`,
          'p50 < 5, p99 < 25 ms',
        ],
        [
          '3. Sustained throughput (backlog at end <= at 10 s + 0.1 s of events; bisected)',
          `${v('sustainedPerSecond')} awards/s (fails at ${v('sustainedBelow')})`,
          `floor ${v('floorTps')} tx/s`,
          v('sustainedToFloor'),
          '>= 0.4',
        ],
        [
          `3. Round trips per rank-up at ${v('latencyRate')}/s, award and sync (SQL + Redis)`,
          `${v('roundTripsPerRankUp')}`,
          `SQL ${v('sqlPerRankUp')}, Redis ${v('redisPerRankUp')}; CPU ms Postgres ${v('postgresCpuMsPerRankUp')}, app ${v('processCpuMsPerRankUp')}`,
          '-',
          '<= 4',
        ],
        ['6. Peak RSS during 3', `${v('peakRssMb')} MB`, '-', '-', '-'],
      ];
    case 'discord-budget':
      return [
        [
          `10. Discord calls per rank-up with a DM / without, at the fake, caches warm (${v('warmRankUps')} rank-ups)`,
          `${v('callsWithDm')} / ${v('callsWithoutDm')}`,
          `first since start ${v('coldCallsWithDm')} / ${v('coldCallsWithoutDm')}`,
          '-',
          '<= 3 / <= 2',
        ],
        [
          `10. Rank-ups/s with DMs, ${v('sustainedOffered')}/s offered, fake at 50 requests/s (role calls / DMs per s)`,
          `${v('sustainedRankUpsPerSecond')} /s (${v('sustainedRoleCallsPerSecond')} / ${v('sustainedDmsPerSecond')})`,
          `0.9 x 50 / ${v('callsWithDm')} calls = ${v('sustainedGoal')} /s`,
          v('sustainedToGoal'),
          '>= 1 (>= 15/s)',
        ],
        [
          `10. Owed when the offering stopped: roles / DMs (of ${v('sustainedAwards')}, ${v('sustainedFirstDms')} first DMs; drained in ${v('sustainedDrainSeconds')} s)`,
          `${v('sustainedRolesOwedAtEnd')} / ${v('sustainedDmsOwedAtEnd')}`,
          `429 answers ${v('sustainedRateLimited')}`,
          '-',
          '-',
        ],
        [
          `10. Role call after the HTTP award at ${v('latencyRate')} rank-ups/s, DMs on (p50 / p99 / max)`,
          `${v('latencyP50')} / ${v('latencyP99')} / ${v('latencyMax')} ms`,
          `${v('latencyRankUps')} rank-ups, ${v('latencyFirstDms')} of them a member's first DM`,
          '-',
          'p99 < 250 ms',
        ],
        [
          `10. Mass change: one rank role remapped for ${v('massMembers')} members, 2 workers: role calls/s`,
          `${v('massRoleCallsPerSecond')} /s in ${v('massSeconds')} s`,
          `lower limit ${v('massLowerLimit')} /s; ${v('massReads')} member reads beside`,
          `${v('massPercentOfLimit')}%`,
          '>= 90%',
        ],
        [
          '10. Mass change: answers 429 (global); role calls / real changes (members changed)',
          `${v('massRateLimited')} (${v('massRateLimitedGlobal')}); ${v('massRoleCalls')} / ${v('massRealChanges')} (${v('massChangedMembers')})`,
          `members wrong at the end ${v('membersWrong')}`,
          '-',
          '0; calls = real changes',
        ],
        [
          `10. Live rank-up during the mass change: HTTP answer -> role PUT (p50 / max of ${v('liveDuringMass')})`,
          `${v('liveP50')} / ${v('liveMax')} ms`,
          '-',
          '-',
          'max < 2 s',
        ],
      ];
    case 'reconcile':
      return [
        [
          `4. Reconcile: one pass, ${v('accounts')} accounts (${v('discordMembers')} on Discord)`,
          `${v('seconds')} s`,
          `planted ${v('planted')} drifts`,
          `found ${v('found')}`,
          'every drift found',
        ],
      ];
    case 'cards':
      return [
        [
          `7. Rank card render, ${v('renders')} one after another (p50 / p95 / max)`,
          `${v('renderP50')} / ${v('renderP95')} / ${v('renderMax')} ms`,
          '-',
          '-',
          'p95 < 30 ms',
        ],
        [
          `7. Event-loop delay while ${v('burst')} cards render at once (p99 / max over ${v('burstRounds')} bursts)`,
          `${v('loopDelayP99')} / ${v('loopDelayMax')} ms`,
          `idle loop ${v('idleDelayP99')} / ${v('idleDelayMax')} ms; slowest burst ${v('burstMs')} ms`,
          '-',
          'max < 50 ms',
        ],
      ];
    case 'api':
      return [
        [
          `5. API leaderboard (GraphQL, ${v('connections')} conns)`,
          `${v('leaderboardRps')} req/s, p99 ${v('leaderboardP99')} ms`,
          `/health/live ${v('baselineRps')} req/s`,
          v('leaderboardToBaseline'),
          '-',
        ],
        [
          `5. API profile (GraphQL, ${v('connections')} conns)`,
          `${v('profileRps')} req/s, p99 ${v('profileP99')} ms`,
          `/health/live ${v('baselineRps')} req/s`,
          v('profileToBaseline'),
          '-',
        ],
      ];
    case 'imports':
      return [
        [
          `8. Import: ${v('players')} MEE6 players, JSON to committed rows (parse ${v('parseSeconds')} s + write ${v('writeSeconds')} s)`,
          `${v('seconds')} s (${v('playersPerSecond')} players/s)`,
          `second run (nothing to do) ${v('secondRunSeconds')} s; audit drift ${v('auditDrift')}`,
          '-',
          '< 60 s',
        ],
      ];
    case 'history': {
      const size = `${v('accounts')} accounts, ${v('ledgerRows')} ledger rows, ${v('syncEvents')} events`;
      const read = (label: string, key: string, goal: string): Row => [
        `9. ${label}, year of history (p95 one client; req/s at ${v('connections')} conns)`,
        `${v(`${key}P95`)} ms; ${v(`${key}Rps`)} req/s`,
        size,
        '-',
        goal,
      ];
      return [
        [
          `9. GraphQL profile, year of history (p95 one client, the id in a variable as the dashboard sends it; req/s at ${v('connections')} conns)`,
          `${v('graphqlProfileP95')} ms; ${v('graphqlProfileRps')} req/s`,
          `${size}; the id inlined (a new document each time) ${v('graphqlProfileInlineP95')} ms`,
          '-',
          'p95 < 10 ms',
        ],
        read('GraphQL leaderboard', 'graphqlLeaderboard', 'p95 < 10 ms'),
        [
          `9. Telegram /profile via the bot, year of history (p95 one client: first ask, the text answers and the card follows / card cached, sent by file_id; req/s at ${v('connections')} conns)`,
          `${v('telegramProfileP95')} / ${v('telegramProfileCachedP95')} ms; ${v('telegramProfileRps')} req/s`,
          size,
          '-',
          'p95 < 10 ms',
        ],
        read('/metrics scrape', 'metrics', 'p95 < 20 ms'),
        read(
          'Dashboard overview (communityOverview + syncStats)',
          'dashboardOverview',
          'p95 < 10 ms',
        ),
        [
          `9. Reconcile full pass, ${v('fullAccounts')} accounts`,
          `${v('fullSeconds')} s`,
          size,
          '-',
          '< 30 s',
        ],
        [
          `9. Reconcile incremental pass after ${v('changes')} changes (${v('incrementalChanged')} changed + ${v('incrementalRolling')} rolling accounts)`,
          `${v('incrementalSeconds')} s`,
          size,
          '-',
          '< 1 s',
        ],
      ];
    }
    default:
      return [[result.name, JSON.stringify(result), '-', '-', '-']];
  }
}
