/**
 * Logs carry a correlation id from the incoming request through the job to the platform call:
 * the caller's X-Request-Id (or a generated one) is on the HTTP line, on the outbox rows the
 * request caused, and on the worker's role-call line; an admin-started reconcile carries it
 * into its job.
 */
import { LogCapture, TEST_ADMIN_TOKEN, waitFor } from '../support/test-app';
import { http } from '../api/api-client';
import { discordPlayer, ROLE, settled, startSyncWorld, SyncWorld } from '../sync/sync-harness';

describe('correlation ids', () => {
  const logs = new LogCapture();
  let world: SyncWorld;

  beforeAll(async () => {
    world = await startSyncWorld({ logs, env: { APP_ROLES: 'api,worker,scheduler' } });
  });

  afterAll(async () => {
    await world?.app.close();
  });

  const adjust = (accountId: string, xp: number, key: string, requestId: string) =>
    http(world.app.url, 'POST', `/admin/accounts/${accountId}/adjustments`, {
      token: TEST_ADMIN_TOKEN,
      body: { currency: 'xp', delta: xp, reason: 'correlation test' },
      headers: { 'idempotency-key': key, 'x-request-id': requestId },
    });

  const correlationsOf = async (accountId: string): Promise<(string | null)[]> => {
    const rows: { correlation_id: string | null }[] = await world.db.query(
      // The player's first contact was made by the test itself, outside any request.
      `SELECT correlation_id FROM sync_events
        WHERE account_id = $1 AND payload->>'reason' IS DISTINCT FROM 'first_contact'
        ORDER BY id`,
      [accountId],
    );
    return rows.map((row) => row.correlation_id);
  };

  const messages = (id: string) => logs.correlatedWith(id).map((line) => String(line.msg));

  it('follows an admin request through the outbox and the job to the role call', async () => {
    const player = await discordPlayer(world);
    const response = await adjust(player.accountId, 8_000, 'corr-1', 'corr-adjust-1');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('corr-adjust-1');
    await settled(world);

    expect(world.gateway.changes().filter((call) => call.userId === player.userId)).toEqual([
      expect.objectContaining({ op: 'add', userId: player.userId, roleId: ROLE.rank5 }),
    ]);
    // rank.changed and the rank_5 achievement: both caused by the one request.
    const correlations = await correlationsOf(player.accountId);
    expect(correlations.length).toBeGreaterThanOrEqual(2);
    expect(new Set(correlations)).toEqual(new Set(['corr-adjust-1']));
    const listed = await http(
      world.app.url,
      'GET',
      `/admin/sync/events?accountId=${player.accountId}`,
      { token: TEST_ADMIN_TOKEN },
    );
    const events = (listed.body as { events: { correlationId: string | null }[] }).events;
    // Newest first; the oldest is the first contact's, made outside any request.
    expect(events.map((event) => event.correlationId)).toEqual([
      ...correlations.map(() => 'corr-adjust-1'),
      null,
    ]);
    const lines = logs.correlatedWith('corr-adjust-1');
    expect(lines.some((line) => (line.req as { id?: string })?.id === 'corr-adjust-1')).toBe(true);
    expect(messages('corr-adjust-1')).toContain(
      `role ${ROLE.rank5} added to member ${player.userId} (account ${player.accountId})`,
    );
  });

  it('replaces an unacceptable X-Request-Id with a generated one, used all the same', async () => {
    const player = await discordPlayer(world);
    const response = await adjust(player.accountId, 8_000, 'corr-2', 'not acceptable; no spaces');
    expect(response.status).toBe(200);
    const generated = response.headers.get('x-request-id')!;
    expect(generated).toMatch(/^http-[0-9a-f-]{36}$/);
    await settled(world);
    expect(new Set(await correlationsOf(player.accountId))).toEqual(new Set([generated]));
    expect(messages(generated)).toContain(
      `role ${ROLE.rank5} added to member ${player.userId} (account ${player.accountId})`,
    );
    expect(logs.lines.some((line) => JSON.stringify(line).includes('not acceptable'))).toBe(false);
  });

  it('carries the request that started a reconcile into its job and its repairs', async () => {
    const player = await discordPlayer(world);
    await adjust(player.accountId, 8_000, 'corr-3', 'corr-setup-3');
    await settled(world);
    world.gateway.setMember(player.userId, []); // someone took the role away by hand
    const run = await http(world.app.url, 'POST', '/admin/reconcile', {
      token: TEST_ADMIN_TOKEN,
      headers: { 'x-request-id': 'corr-reconcile-3' },
    });
    expect(run.status).toBe(202);
    const { jobId } = run.body as { jobId: string };
    const job = await world.queues.queue('reconcile').getJob(jobId);
    expect(job?.data).toMatchObject({ correlationId: 'corr-reconcile-3' });
    await waitFor(
      () =>
        messages('corr-reconcile-3').includes(
          `role ${ROLE.rank5} added to member ${player.userId} (account ${player.accountId})`,
        ),
      { what: 'the reconcile to give the role back, in the request correlation' },
    );
    expect(world.gateway.rolesOf(player.userId)).toEqual([ROLE.rank5]);
  });
});
