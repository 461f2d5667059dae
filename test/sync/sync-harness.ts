import { DataSource } from 'typeorm';
import { ManualClock } from '@ttfd/clock';
import { EconomyModule, LedgerService } from '@ttfd/economy';
import { AccountUnlink, IdentityService, LinkCodes, LinkRedeemer } from '@ttfd/linking';
import {
  Alert,
  AlertPublisher,
  NotifierRegistry,
  ReconcileMode,
  ReconcileReport,
  ReconcileService,
  RoleGatewayRegistry,
  SyncQueues,
} from '@ttfd/sync';
import { InMemoryRoleGateway, RecordingNotifier } from '@ttfd/sync/testing';
import { startTestApp, TestApp, TestAppOptions, waitFor } from '../support/test-app';

/** Discord role ids the tests map (17+ digits, as the schema requires). */
export const ROLE = {
  rank1: '100000000000000001',
  rank4: '100000000000000004',
  rank5: '100000000000000005',
  firstWin: '200000000000000001',
  linked: '200000000000000007',
  vip: '900000000000000001', // never mapped: must never be touched
};

export class RecordingAlerts extends AlertPublisher {
  readonly alerts: Alert[] = [];
  async publish(alert: Alert): Promise<void> {
    this.alerts.push(alert);
  }
}

export interface SyncWorld {
  app: TestApp;
  clock: ManualClock;
  db: DataSource;
  gateway: InMemoryRoleGateway;
  telegram: RecordingNotifier;
  discord: RecordingNotifier;
  alerts: RecordingAlerts;
  ledger: LedgerService;
  identities: IdentityService;
  /** The linking steps the sync tests drive, each bound to the class that does it. */
  links: Pick<LinkCodes, 'issueCode'> &
    Pick<LinkRedeemer, 'redeem'> &
    Pick<AccountUnlink, 'unlink'>;
  queues: SyncQueues;
}

/** Fast knobs for tests: retries at once, a sweep every 50 ms. */
export const FAST_SYNC_ENV = {
  SYNC_BACKOFF_BASE_MS: '0',
  SYNC_BACKOFF_MAX_MS: '0',
  SYNC_MAX_ATTEMPTS: '4',
  SYNC_RELAY_INTERVAL_MS: '50',
  SYNC_LEASE_MS: '30000',
};

/** The app with the in-memory gateway and notifiers registered, rank 1/4/5 roles mapped. */
export async function startSyncWorld(
  options: TestAppOptions & { gateway?: InMemoryRoleGateway; mapRoles?: boolean } = {},
): Promise<SyncWorld> {
  const alerts = new RecordingAlerts();
  const clock = (options.clock as ManualClock | undefined) ?? new ManualClock();
  const app = await startTestApp({
    ...options,
    clock,
    imports: [EconomyModule, ...(options.imports ?? [])],
    env: { APP_ROLES: 'worker,scheduler', ...FAST_SYNC_ENV, ...options.env },
    override: (builder) => builder.overrideProvider(AlertPublisher).useValue(alerts),
  });
  const gateway = options.gateway ?? new InMemoryRoleGateway();
  const telegram = new RecordingNotifier('telegram');
  const discord = new RecordingNotifier('discord');
  app.app.get(RoleGatewayRegistry).register(gateway);
  app.app.get(NotifierRegistry).register(telegram);
  app.app.get(NotifierRegistry).register(discord);
  const db = app.app.get(DataSource);
  if (options.mapRoles !== false) await mapRoles(db);
  return {
    app,
    clock,
    db,
    gateway,
    telegram,
    discord,
    alerts,
    ledger: app.app.get(LedgerService),
    identities: app.app.get(IdentityService),
    links: linkingOf(app),
    queues: app.app.get(SyncQueues),
  };
}

function linkingOf(app: TestApp): SyncWorld['links'] {
  const codes = app.app.get(LinkCodes);
  const redeemer = app.app.get(LinkRedeemer);
  const unlinking = app.app.get(AccountUnlink);
  return {
    issueCode: (platform, externalId) => codes.issueCode(platform, externalId),
    redeem: (platform, externalId, code) => redeemer.redeem(platform, externalId, code),
    unlink: (platform, externalId) => unlinking.unlink(platform, externalId),
  };
}

export async function mapRoles(db: DataSource): Promise<void> {
  await db.query(`UPDATE rank_role_mappings SET discord_role_id = NULL`);
  await db.query(`UPDATE achievement_role_mappings SET discord_role_id = NULL`);
  await db.query(
    `UPDATE rank_role_mappings SET discord_role_id = CASE rank_id
       WHEN 1 THEN $1 WHEN 4 THEN $2 WHEN 5 THEN $3 END WHERE rank_id IN (1, 4, 5)`,
    [ROLE.rank1, ROLE.rank4, ROLE.rank5],
  );
  await db.query(
    `UPDATE achievement_role_mappings SET discord_role_id = CASE achievement_code
       WHEN 'first_win' THEN $1 WHEN 'linked' THEN $2 END
     WHERE achievement_code IN ('first_win', 'linked')`,
    [ROLE.firstWin, ROLE.linked],
  );
}

let nextUser = 300_000_000_000_000_000n;
export function newDiscordUserId(): string {
  nextUser += 1n;
  return String(nextUser);
}

/**
 * A Discord-only player who is a guild member with exactly `roles`. Their account is made first
 * (its first-contact `roles.resync` settles while they are not yet a member: nothing to change),
 * then they join with `roles`, so a test's role calls are only the ones it causes.
 */
export async function discordPlayer(
  world: SyncWorld,
  roles: string[] = [],
): Promise<{ userId: string; accountId: string }> {
  const userId = newDiscordUserId();
  const { accountId } = await world.identities.resolve('discord', userId);
  await settledAccount(world, accountId);
  world.gateway.setMember(userId, roles);
  return { userId, accountId };
}

/** Waits until no event of the account is pending or processing. */
export async function settledAccount(world: SyncWorld, accountId: string): Promise<void> {
  await waitFor(
    async () => {
      const [{ open }] = await world.db.query(
        `SELECT count(*) AS open FROM sync_events
          WHERE account_id = $1 AND status IN ('pending', 'processing')`,
        [accountId],
      );
      return Number(open) === 0;
    },
    { what: `the outbox events of account ${accountId} to settle` },
  );
}

let keys = 0;
export async function award(world: SyncWorld, accountId: string, xp: number): Promise<void> {
  keys += 1;
  await world.ledger.award({
    accountId,
    xp,
    reason: 'discord_message',
    source: 'discord',
    idempotencyKey: `test:${accountId}:${keys}:${Math.random()}`,
  });
}

/** Waits until no event is pending or processing. */
export async function settled(world: SyncWorld, timeoutMs = 30_000): Promise<void> {
  await waitFor(
    async () => {
      const [{ open }] = await world.db.query(
        `SELECT count(*) AS open FROM sync_events WHERE status IN ('pending', 'processing')`,
      );
      return Number(open) === 0;
    },
    { timeoutMs, what: 'every outbox event to settle' },
  );
}

export async function eventsOf(
  world: SyncWorld,
  accountId: string,
): Promise<
  { id: string; type: string; status: string; attempts: number; last_error: string | null }[]
> {
  return world.db.query(
    `SELECT id, type, status, attempts, last_error FROM sync_events WHERE account_id = $1 ORDER BY id`,
    [accountId],
  );
}

/** Runs reconcile now and waits for its report, then for the roles.resync events it wrote. */
export async function reconcileNow(
  world: SyncWorld,
  mode: ReconcileMode = 'full',
): Promise<ReconcileReport> {
  const reconcile = world.app.app.get(ReconcileService);
  const jobId = await reconcile.runNow(mode);
  const report = await waitFor(
    async () => {
      const found = await reconcile.report(jobId);
      return found && found.status !== 'running' ? found : null;
    },
    { what: `reconcile ${jobId}` },
  );
  await settled(world);
  return report;
}
