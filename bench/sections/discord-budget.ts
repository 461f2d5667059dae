import type { Pool } from 'pg';
import 'reflect-metadata';
import { AppProcess } from '../faults/cluster';
import { DrillGuild, mappedRoleIds } from '../faults/drill-guild';
import { benchPool, createBenchDatabase } from '../lib/bench-database';
import { BENCH_ADMIN_TOKEN, BENCH_SESSION_SECRET } from '../lib/constants';
import { memberCallOf, MemberCallTally, tallyMemberCalls } from '../lib/discord-calls';
import { mapRoles, rankRoleId, wantedRolesByUser } from '../lib/guild';
import { runAtRate } from '../lib/pace';
import { progress } from '../lib/progress';
import { putKey, RankUpEffects } from '../lib/rank-up-effects';
import {
  BenchMember,
  HttpRankUps,
  MemberRing,
  RankUp,
  seedMembersAtRank,
} from '../lib/rank-up-members';
import { OwnRedis } from '../lib/redis-server';
import { QUICK, Section } from '../lib/section';
import { ratio, round, summarize } from '../lib/stats';

/**
 * Discord's budget end to end, measured at the fake Discord (test/fakes/discord) from outside:
 * the built app (dist/) in processes of its own (APP_ROLES), awards through the admin REST API,
 * and the fake's REST log as the only witness of what the app spent. Discord's limits are the
 * physical limit of role sync, so these figures say how well the app spends them.
 */
const MEMBERS = QUICK ? 60 : 1_000;
/** Members holding MASS_RANK whose role the mass change remaps. */
const MASS_MEMBERS = QUICK ? 100 : 5_000;
/** Ranks 5 to 9 are four plain rank-ups (no achievement unlocks on the way). */
const START_RANK = 5;
const MASS_RANK = 3;
/** The role the mass change maps MASS_RANK to: in the guild from the start, held by nobody. */
const REMAPPED_ROLE_ID = rankRoleId(900);
/** Per DM setting: members whose second rank-up is counted (caches warm). */
const WARM_SAMPLE = QUICK ? 10 : 200;
/** Figure 1's awards are paced under the limits, so the count has no 429 in it. */
const COUNT_RATE = QUICK ? 20 : 12;
/** Above what 50 requests/s carry even at 2 calls per rank-up. */
const OFFERED_RATE = 36;
const OFFERED_SECONDS = QUICK ? 3 : 25;
const LATENCY_RATE = 10;
const LATENCY_SECONDS = QUICK ? 3 : 60;
const LIVE_AWARDS = QUICK ? 2 : 5;
/** Discord's global limit per bot, the one every process of the app shares: 50 requests/s. */
const GLOBAL_LIMIT = { limit: 50, windowMs: 1_000 };
/**
 * The member-role bucket per guild (PUT and DELETE of a member's role share it) the fake keeps
 * during the mass change, and the app is told of (DISCORD_MEMBER_ROLE_BUCKET_*), as an operator
 * sets it from Discord's headers. Discord does not document its size; the 10 per 10 s seen in
 * the wild would make a 5,000-member remap take hours, so the bench takes 300 per 10 s: below
 * the global limit, so the app must keep two limits at once across two processes, and the
 * lower one (30/s) is the bucket.
 */
const MASS_MEMBER_ROLE_BUCKET = { limit: 300, windowMs: 10_000 };
const SETTLE_MS = QUICK ? 60_000 : 300_000;

export const section: Section = {
  name: 'discord-budget',
  // Full: boot, 1,000 cold + 400 warm rank-ups, 25 s offered + drain, 60 s at 10/s, and a mass
  // change of 10,000 role calls and 5,000 reads under a 30/s bucket (about 6 minutes at the
  // limit, more below it). Quick takes about 50 s; its limit leaves room for a busy CI machine.
  deadlineMs: QUICK ? 120_000 : 1_800_000,
  run: async () => {
    const database = await createBenchDatabase('discord');
    const redis = await OwnRedis.start();
    const pool = benchPool(database.url, 4);
    const processes: AppProcess[] = [];
    let guild: DrillGuild | undefined;
    try {
      progress(`discord-budget: seeding ${MEMBERS} + ${MASS_MEMBERS} members`);
      const members = await seedMembersAtRank(pool, MEMBERS, START_RANK);
      const massMembers = await seedMembersAtRank(pool, MASS_MEMBERS, MASS_RANK);
      await mapRoles(pool);
      guild = await DrillGuild.start(
        await wantedRolesByUser(pool),
        [...(await mappedRoleIds(pool)), REMAPPED_ROLE_ID],
        // Discord's global limit and its per-route buckets (50/s), with Discord's headers.
        { globalRateLimit: GLOBAL_LIMIT, rateLimit: { limit: 50, windowMs: 1_000 } },
      );
      const env = appEnv(database.url, redis.url, guild);
      const api = new AppProcess('api+scheduler', { ...env, APP_ROLES: 'api,scheduler' });
      const worker = new AppProcess('worker', { ...env, APP_ROLES: 'worker' });
      processes.push(api, worker);
      progress('discord-budget: starting api+scheduler and one worker from dist/');
      await Promise.all([api.start(), worker.start()]);
      const rankUps = new HttpRankUps(api.url, 'e2e');
      const effects = new RankUpEffects(guild);

      const perRankUp = await countCallsPerRankUp(pool, guild, members, rankUps, effects);
      const ring = new MemberRing(members);
      const sustained = await sustainedRankUps(guild, ring, rankUps, effects);
      const latency = await roleLatency(guild, ring, rankUps, effects);

      // The mass change meets the member-role bucket too: two workers that know it.
      progress('discord-budget: two workers that keep the member-role bucket, for the mass change');
      await worker.stop();
      guild.fake.setMemberRoleBucket(MASS_MEMBER_ROLE_BUCKET);
      const bucketEnv = {
        ...env,
        APP_ROLES: 'worker',
        DISCORD_MEMBER_ROLE_BUCKET_LIMIT: String(MASS_MEMBER_ROLE_BUCKET.limit),
        DISCORD_MEMBER_ROLE_BUCKET_WINDOW_MS: String(MASS_MEMBER_ROLE_BUCKET.windowMs),
      };
      const massWorkers = [
        new AppProcess('worker 2', bucketEnv),
        new AppProcess('worker 3', bucketEnv),
      ];
      processes.push(...massWorkers);
      await Promise.all(massWorkers.map((p) => p.start()));
      const mass = await massChange(api.url, guild, massMembers, ring, rankUps, effects);

      const wanted = await wantedRolesByUser(pool);
      const membersWrong = [...wanted].filter(
        ([userId, roles]) => (guild!.rolesOf(userId) ?? []).join() !== roles.join(),
      ).length;
      const goal = perRankUp.warmDm.perRankUp > 0 ? (0.9 * 50) / perRankUp.warmDm.perRankUp : 0;
      return {
        members: MEMBERS,
        massMembers: MASS_MEMBERS,
        ...flatten('cold', perRankUp.coldDm, perRankUp.coldPlain),
        ...flatten('warm', perRankUp.warmDm, perRankUp.warmPlain),
        callsWithDm: perRankUp.warmDm.perRankUp,
        callsWithoutDm: perRankUp.warmPlain.perRankUp,
        ...sustained,
        sustainedGoal: round(goal, 1),
        sustainedToGoal: ratio(sustained.sustainedRankUpsPerSecond, goal),
        ...latency,
        ...mass,
        membersWrong,
        fakeProblems: guild.problems().length,
      };
    } finally {
      await Promise.all(processes.map((p) => p.stop()));
      await guild?.stop();
      await pool.end();
      await redis.stop();
      await database.drop();
    }
  },
};

function appEnv(databaseUrl: string, redisUrl: string, guild: DrillGuild): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'error',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '8',
    MIGRATIONS_RUN: 'false',
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: 'e2e',
    ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
    SESSION_SECRET: BENCH_SESSION_SECRET,
    // The real Discord adapter at the fake: REST role gateway and notifier, no gateway session.
    ...guild.env,
    // The bench is one HTTP client on loopback: the per-client throttle would measure itself.
    THROTTLE_LIMIT: '1000000',
    GRAPHQL_RATE_LIMIT: '1000000',
    PLAYER_MUTATION_LIMIT: '1000000',
    // No scheduled reconcile during the run: its member listing would store what it saw and
    // make the first rank-up's read depend on when the quarter hour struck.
    RECONCILE_CRON: '0 0 1 1 *',
  };
}

interface CallCount {
  rankUps: number;
  perRankUp: number;
  tally: MemberCallTally;
}

function flatten(label: 'cold' | 'warm', dm: CallCount, plain: CallCount): Record<string, unknown> {
  const kinds = (tally: MemberCallTally): string =>
    Object.entries(tally.byKind)
      .filter(([, n]) => n > 0)
      .map(([kind, n]) => `${kind} ${n}`)
      .join(', ');
  return {
    [`${label}RankUps`]: dm.rankUps + plain.rankUps,
    [`${label}CallsWithDm`]: dm.perRankUp,
    [`${label}CallsWithoutDm`]: plain.perRankUp,
    [`${label}CallsByKindWithDm`]: kinds(dm.tally),
    [`${label}CallsByKindWithoutDm`]: kinds(plain.tally),
    [`${label}RateLimited`]: dm.tally.rateLimited + plain.tally.rateLimited,
  };
}

/**
 * Figure 1: calls per rank-up at the fake, attributed per member (reads, role PUT / DELETE, DM
 * channel opens, messages), half the members with DMs on and half opted out. Cold: every
 * member's first rank-up since the worker started (nothing stored or cached about them); warm:
 * a second rank-up of a sample, as rank-ups of an active community mostly are.
 */
async function countCallsPerRankUp(
  pool: Pool,
  guild: DrillGuild,
  members: BenchMember[],
  rankUps: HttpRankUps,
  effects: RankUpEffects,
): Promise<{ coldDm: CallCount; coldPlain: CallCount; warmDm: CallCount; warmPlain: CallCount }> {
  const withDm = members.slice(0, members.length / 2);
  const optedOut = members.slice(members.length / 2);
  await pool.query(`UPDATE accounts SET dm_opt_out = true WHERE id = ANY($1::bigint[])`, [
    optedOut.map((m) => m.accountId),
  ]);
  const dmUsers = new Set(withDm.map((m) => m.userId));
  const measure = async (label: string, chosen: BenchMember[]) => {
    progress(`discord-budget: ${label}: ${chosen.length} rank-ups at ${COUNT_RATE}/s`);
    const mark = guild.mark();
    const done = await rankUpAtRate(chosen, COUNT_RATE, rankUps);
    for (const rankUp of done) if (dmUsers.has(rankUp.member.userId)) effects.expectDm(rankUp);
    await effects.waitSettled(done, SETTLE_MS, label);
    await effects.waitQuiet(500, 3_000);
    const calls = guild.fake.calls().slice(mark);
    const count = (group: BenchMember[]): CallCount => {
      const users = new Set(group.map((m) => m.userId));
      const tally = tallyMemberCalls(calls, users, dmOwners(guild, users));
      const n = done.filter((r) => users.has(r.member.userId)).length;
      return { rankUps: n, perRankUp: n > 0 ? round2(tally.total / n) : 0, tally };
    };
    return { dm: count(withDm), plain: count(optedOut) };
  };
  const cold = await measure('calls per rank-up, first since start', members);
  const warm = await measure('calls per rank-up, caches warm', [
    ...withDm.slice(0, WARM_SAMPLE),
    ...optedOut.slice(0, WARM_SAMPLE),
  ]);
  // Every later figure has DMs on.
  await pool.query(`UPDATE accounts SET dm_opt_out = false WHERE id = ANY($1::bigint[])`, [
    optedOut.map((m) => m.accountId),
  ]);
  return { coldDm: cold.dm, coldPlain: cold.plain, warmDm: warm.dm, warmPlain: warm.plain };
}

/**
 * Figure 2: rank-ups with DMs offered at OFFERED_RATE (above what Discord's 50 requests/s can
 * carry) for OFFERED_SECONDS; the rate at which new rank roles land at the fake over the last
 * two thirds of it, and what is left owed (roles, DMs) when the offering stops.
 */
async function sustainedRankUps(
  guild: DrillGuild,
  ring: MemberRing,
  rankUps: HttpRankUps,
  effects: RankUpEffects,
): Promise<Record<string, number>> {
  progress(`discord-budget: ${OFFERED_RATE} rank-ups/s offered for ${OFFERED_SECONDS} s`);
  const mark = guild.mark();
  const started = Date.now();
  const done: RankUp[] = [];
  const awards = new DmRankUps(guild, ring, rankUps, effects);
  const paced = await runAtRate(OFFERED_RATE, OFFERED_SECONDS * 1000, 256, async () => {
    done.push(await awards.next());
  });
  const ended = Date.now();
  const owed = effects.backlog(done);
  const windowStart = started + (OFFERED_SECONDS * 1000) / 3;
  const inWindow = (at: number) => at >= windowStart && at <= ended;
  const windowSeconds = (ended - windowStart) / 1000;
  const putAt = effects.rolePutTimes();
  const landed = done.filter((r) => inWindow(putAt.get(putKey(r)) ?? -1)).length;
  const calls = guild.fake.calls().slice(mark);
  const owners = dmOwners(guild, new Set(done.map((r) => r.member.userId)));
  const messages = calls.filter(
    (c) => c.status < 300 && inWindow(c.at) && memberCallOf(c, owners)?.kind === 'message',
  ).length;
  const roleCalls = guild.fake
    .roleCalls()
    .filter((c) => c.method !== 'PATCH' && inWindow(c.at)).length;
  progress(`discord-budget: draining ${owed.roles} roles and ${owed.dms} DMs owed`);
  const drainStart = Date.now();
  await effects.waitSettled(done, SETTLE_MS, 'sustained rank-ups drain');
  return {
    sustainedOffered: OFFERED_RATE,
    sustainedAwards: done.length,
    sustainedFirstDms: awards.firstDms,
    sustainedAwardErrors: paced.errors,
    sustainedAwardsSkipped: paced.skipped,
    sustainedRankUpsPerSecond: round(landed / windowSeconds, 1),
    sustainedRoleCallsPerSecond: round(roleCalls / windowSeconds, 1),
    sustainedDmsPerSecond: round(messages / windowSeconds, 1),
    sustainedRolesOwedAtEnd: owed.roles,
    sustainedDmsOwedAtEnd: owed.dms,
    sustainedDrainSeconds: round((Date.now() - drainStart) / 1000, 1),
    sustainedRateLimited: calls.filter((c) => c.status === 429 && !c.injected).length,
  };
}

/**
 * Figure 3: rank-ups with DMs at LATENCY_RATE through HTTP; for each, from the API's answer to
 * the fake receiving the PUT of the new rank role.
 */
async function roleLatency(
  guild: DrillGuild,
  ring: MemberRing,
  rankUps: HttpRankUps,
  effects: RankUpEffects,
): Promise<Record<string, number>> {
  progress(`discord-budget: role latency at ${LATENCY_RATE} rank-ups/s for ${LATENCY_SECONDS} s`);
  const done: RankUp[] = [];
  const awards = new DmRankUps(guild, ring, rankUps, effects);
  const paced = await runAtRate(LATENCY_RATE, LATENCY_SECONDS * 1000, 64, async () => {
    done.push(await awards.next());
  });
  await effects.waitSettled(done, SETTLE_MS, 'role latency drain');
  const putAt = effects.rolePutTimes();
  const latency = summarize(done.map((r) => putAt.get(putKey(r))! - r.answeredAt));
  return {
    latencyRate: LATENCY_RATE,
    latencyRankUps: latency.count,
    latencyFirstDms: awards.firstDms,
    latencyAwardErrors: paced.errors,
    latencyP50: latency.p50,
    latencyP99: latency.p99,
    latencyMax: latency.max,
  };
}

/**
 * Figure 4: MASS_RANK's role remapped through the admin REST API while MASS_MEMBERS hold it,
 * two worker processes, the fake keeping the member-role bucket too: the role calls' rate
 * against the lower of the two limits, 429s, calls against real changes; and live rank-ups
 * awarded during it, from the answer to their role's PUT.
 */
async function massChange(
  apiUrl: string,
  guild: DrillGuild,
  massMembers: BenchMember[],
  ring: MemberRing,
  rankUps: HttpRankUps,
  effects: RankUpEffects,
): Promise<Record<string, unknown>> {
  const oldRoleId = rankRoleId(MASS_RANK);
  const users = new Set(massMembers.map((m) => m.userId));
  const changedSoFar = () =>
    massMembers.filter((m) => {
      const roles = guild.rolesOf(m.userId) ?? [];
      return roles.includes(REMAPPED_ROLE_ID) && !roles.includes(oldRoleId);
    }).length;
  // A community's steady state: reconcile's member listing has stored every member's roles
  // (AppliedRoles), so the remap plans from them. Seeded straight into the database, the mass
  // members were never listed, and each would be read first from the same role share.
  progress("discord-budget: a reconcile pass lists the guild and stores the members' roles");
  await reconcileNow(apiUrl, SETTLE_MS);
  progress(
    `discord-budget: mass change, rank ${MASS_RANK}'s role for ${massMembers.length} members`,
  );
  const mark = guild.mark();
  const globalRefusedBefore = guild.fake.rateLimitedCounts().global;
  const remapped = await fetch(`${apiUrl}/admin/rank-roles/${MASS_RANK}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ discordRoleId: REMAPPED_ROLE_ID }),
  });
  if (!remapped.ok) throw new Error(`remap refused: ${remapped.status} ${await remapped.text()}`);
  const remappedAt = Date.now();
  const massCalls = () =>
    guild.fake.roleCalls().filter((c) => c.method !== 'PATCH' && users.has(c.userId));

  // Live rank-ups once the mass change is under way, spread over its first part.
  await waitUntil(() => massCalls().length >= 10, SETTLE_MS, 'the mass change to start');
  const live: RankUp[] = [];
  const awards = new DmRankUps(guild, ring, rankUps, effects);
  for (let i = 0; i < LIVE_AWARDS; i++) {
    live.push(await awards.next());
    await sleep(QUICK ? 500 : 2_000);
  }
  const deadline = QUICK ? 60_000 : 1_500_000;
  await waitUntil(() => changedSoFar() === massMembers.length, deadline, 'the mass change');
  await effects.waitSettled(live, SETTLE_MS, 'live rank-ups during the mass change');
  await effects.waitQuiet(500, 3_000);

  const calls = massCalls();
  const first = calls[0]!.at;
  const last = calls[calls.length - 1]!.at;
  const seconds = Math.max(0.001, (last - first) / 1000);
  const needless = guild.roleChanges().filter((c) => users.has(c.userId) && c.needless).length;
  const all = guild.fake.calls().slice(mark);
  const reads = tallyMemberCalls(all, users, () => undefined).byKind.memberRead;
  const putAt = effects.rolePutTimes();
  const liveLatency = summarize(live.map((r) => putAt.get(putKey(r))! - r.answeredAt));
  const rate = calls.length / seconds;
  const perSecond = (limit: { limit: number; windowMs: number }) =>
    (limit.limit * 1000) / limit.windowMs;
  const lowerLimit = Math.min(perSecond(GLOBAL_LIMIT), perSecond(MASS_MEMBER_ROLE_BUCKET));
  return {
    massSeconds: round((last - remappedAt) / 1000, 1),
    massRoleCalls: calls.length,
    massRealChanges: calls.length - needless,
    massNeedless: needless,
    massChangedMembers: changedSoFar(),
    massReads: reads,
    massRoleCallsPerSecond: round(rate, 1),
    massLowerLimit: lowerLimit,
    massPercentOfLimit: round((100 * rate) / lowerLimit, 1),
    massRateLimited: all.filter((c) => c.status === 429 && !c.injected).length,
    massRateLimitedGlobal: guild.fake.rateLimitedCounts().global - globalRefusedBefore,
    liveAwards: live.length,
    liveDuringMass: live.filter((r) => r.answeredAt < last).length,
    liveP50: liveLatency.p50,
    liveMax: liveLatency.max,
  };
}

/**
 * Rank-ups with DMs for the ring's next members, counting the members who get their first DM
 * (no DM channel opened for them yet): that DM costs one more call, to open the channel.
 */
class DmRankUps {
  firstDms = 0;

  constructor(
    private readonly guild: DrillGuild,
    private readonly ring: MemberRing,
    private readonly rankUps: HttpRankUps,
    private readonly effects: RankUpEffects,
  ) {}

  async next(): Promise<RankUp> {
    const member = this.ring.next();
    if (this.guild.fake.dmChannelOf(member.userId) === undefined) this.firstDms += 1;
    const rankUp = await this.rankUps.rankUp(member);
    this.effects.expectDm(rankUp);
    return rankUp;
  }
}

/** Awards one rank-up per member at `rate` (open loop), all answered before it returns. */
async function rankUpAtRate(
  members: BenchMember[],
  rate: number,
  rankUps: HttpRankUps,
): Promise<RankUp[]> {
  const done: RankUp[] = [];
  const paced = await runAtRate(rate, (members.length / rate) * 1000, 256, async (i) => {
    done.push(await rankUps.rankUp(members[i]!));
  });
  if (paced.errors > 0 || paced.skipped > 0) {
    throw new Error(`${paced.errors} awards failed and ${paced.skipped} were skipped`);
  }
  return done;
}

/** The users among `users` by their DM channel's id (for attributing messages). */
function dmOwners(
  guild: DrillGuild,
  users: Set<string>,
): (channelId: string) => string | undefined {
  const owners = new Map<string, string>();
  for (const userId of users) {
    const channelId = guild.fake.dmChannelOf(userId);
    if (channelId) owners.set(channelId, userId);
  }
  return (channelId) => owners.get(channelId);
}

/** Runs a reconcile pass through the admin REST API and waits for its report to complete. */
async function reconcileNow(apiUrl: string, timeoutMs: number): Promise<void> {
  const headers = { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` };
  const started = await fetch(`${apiUrl}/admin/reconcile`, { method: 'POST', headers });
  if (!started.ok) throw new Error(`reconcile refused: ${started.status} ${await started.text()}`);
  const { jobId } = (await started.json()) as { jobId: string };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${apiUrl}/admin/reconcile/reports?limit=5`, { headers });
    const reports = (await res.json()) as { jobId: string; status: string; error: string | null }[];
    const report = reports.find((r) => r.jobId === jobId);
    if (report?.status === 'completed') return;
    if (report?.status === 'failed') throw new Error(`reconcile failed: ${report.error}`);
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for reconcile`);
    await sleep(200);
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const round2 = (value: number): number => round(value, 2);
