import { isSyncLane, leasesMembers, SyncLane } from '../lanes/sync-lanes';

/*
 * The texts of the transport's claim and settle (SyncEventRepository runs them as prepared
 * statements, one per lane). Each has two shapes: role lanes lease the rows' Discord members,
 * take their stored roles and write the batch's messages; message lanes do none of that, so
 * their statements do not carry it. A statement per lane, with its shape, its lane and its batch
 * size in the text, keeps every plan's estimates independent of the call: Postgres keeps a
 * prepared statement's generic plan only when it is costed no higher than a fresh one, and a
 * shape whose half is switched off by a parameter, a `LIMIT $n`, a `lane = $n` or arrays of the
 * call's length are costed lower fresh, so they were planned again at every call (about 1 ms of
 * a 2-row claim's 1.8 ms on an idle machine).
 */

export interface SyncStatement {
  /** Unique per text (see preparedStatement). */
  name: string;
  text: string;
}

/**
 * Each statement's text is built once per process (a claim and a settle run per batch; their
 * texts depend only on the lane and the batch size).
 */
const statements = new Map<string, SyncStatement>();

function built(key: string, build: () => SyncStatement): SyncStatement {
  let statement = statements.get(key);
  if (!statement) {
    statement = build();
    statements.set(key, statement);
  }
  return statement;
}

/** A lane as an SQL literal: one of SYNC_LANES, checked (never a caller's text). */
function laneLiteral(lane: SyncLane): string {
  if (!isSyncLane(lane)) throw new Error(`unknown sync lane ${String(lane)}`);
  return `'${lane}'`;
}

/** The end of a lease that starts now, by the database's clock; `msParam` holds its length. */
export const leaseEnd = (msParam: string) =>
  `clock_timestamp() + ${msParam}::integer * interval '1 millisecond'`;

/**
 * An always-true condition that lets the statement's own transaction commit without waiting for
 * its WAL to reach the disk (`synchronous_commit = off` for that transaction only). Under load
 * those waits were most of a claim's time: 2,500 flushes a second at 500 rank-ups/s, one at a
 * time. The role lanes' claims, every settle and the lease renewals take it: they record the
 * transport's progress, and losing one (a Postgres crash within a few hundred milliseconds of
 * it) only redoes work the outbox holds: the row is claimed again once its lease runs out, and
 * role calls converge to the same roles. Awards, and the message lanes' claims, wait: a message
 * goes out only after a claim whose flush also made durable everything before it (the settle
 * that wrote the message's row, whose id is its Discord nonce, and the row's first attempt time,
 * which bounds its retries). For statements that never run inside a caller's transaction: the
 * setting lasts until that transaction ends.
 */
export const COMMITS_WITHOUT_FLUSH = `(SELECT set_config('synchronous_commit', 'off', true)) IS NOT NULL`;

/**
 * Claims up to `limit` due rows of `lane` with leases of $1 ms, `updated_at` $2, and for role
 * lanes ($3: the holder) each row's Discord member leased and its stored roles taken. The lane
 * and the batch size are written into the text, not passed: with `LIMIT $n` the generic plan
 * expects a tenth of the lane and hashes whole tables, and with `lane = $n` it expects the
 * average lane's rows, so a fresh plan for a lane that is nearly empty (most claims of a lane
 * kept drained) is costed lower and Postgres planned it again at every call.
 */
export function claimStatement(lane: SyncLane, limit: number): SyncStatement {
  return built(`claim/${lane}/${limit}`, () => buildClaim(lane, limit));
}

function buildClaim(lane: SyncLane, limit: number): SyncStatement {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new Error(`bad claim limit ${limit}`);
  const leasing = leasesMembers(lane);
  const due = `due AS (
         SELECT e.id, e.account_id
           FROM sync_events e
          WHERE e.lane = ${laneLiteral(lane)} AND e.status IN ('pending', 'processing')
            AND e.next_attempt_at <= now()
          ORDER BY e.next_attempt_at, e.id
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)`;
  const leases = `keyed AS (
         SELECT d.id, (SELECT i.external_id FROM identities i
                        WHERE i.account_id = d.account_id AND i.platform = 'discord') AS member
           FROM due d),
       leased AS (
         INSERT INTO sync_member_leases AS l (discord_user_id, holder, lease_until)
         SELECT m.member, $3, ${leaseEnd('$1')}
           FROM (SELECT DISTINCT member FROM keyed WHERE member IS NOT NULL ORDER BY member) m
         ON CONFLICT (discord_user_id) DO UPDATE
            SET holder = excluded.holder, lease_until = excluded.lease_until
          WHERE l.lease_until < clock_timestamp() OR l.holder = excluded.holder
         RETURNING l.discord_user_id),
       taken AS (
         UPDATE discord_member_roles d SET role_ids = NULL, updated_at = clock_timestamp()
           FROM (SELECT r.discord_user_id, r.role_ids FROM discord_member_roles r
                  WHERE r.discord_user_id = ANY (ARRAY(SELECT discord_user_id FROM leased))
                    AND r.role_ids IS NOT NULL
                  ORDER BY r.discord_user_id
                  FOR UPDATE) old
          WHERE d.discord_user_id = old.discord_user_id
            AND d.discord_user_id = ANY (ARRAY(SELECT discord_user_id FROM leased))
         RETURNING d.discord_user_id, old.role_ids)`;
  // Rows whose member another holder leases stay pending.
  const leasedOnly = 'AND (k.member IS NULL OR k.member IN (SELECT discord_user_id FROM leased))';
  const storedRoles = '(SELECT t.role_ids FROM taken t WHERE t.discord_user_id = c.member)';
  // Point lookups as subqueries, not joins: the plan stays index probes whatever it expects.
  const text = `WITH ${due},
       ${leasing ? `${leases},` : ''}
       claimed AS (
         UPDATE sync_events e
            SET status = 'processing', attempts = e.attempts + 1, updated_at = $2,
                lease_until = ${leaseEnd('$1')},
                next_attempt_at = ${leaseEnd('$1')},
                first_attempt_at = coalesce(e.first_attempt_at, clock_timestamp())
           FROM ${leasing ? 'keyed' : 'due'} k
          WHERE e.id = k.id
          ${leasing ? leasedOnly : ''}
          RETURNING e.id, e.type, e.account_id, e.payload, e.attempts, e.max_attempts,
                    e.correlation_id, e.delivered_platforms,
                    ${leasing ? 'k.member' : 'NULL::text AS member'},
                    (extract(epoch FROM clock_timestamp() - e.first_attempt_at) * 1000)::float8
                      AS since_first_attempt_ms)
       SELECT c.*, (SELECT a.rank_id FROM accounts a WHERE a.id = c.account_id) AS rank_id,
              (SELECT version::text FROM role_mappings_state) AS mapping_version,
              ${leasing ? storedRoles : 'NULL::text[]'} AS stored_roles,
              coalesce((SELECT a.dm_opt_out FROM accounts a WHERE a.id = c.account_id), false)
                AS dm_opt_out,
              ARRAY(SELECT aa.achievement_code FROM account_achievements aa
                     WHERE aa.account_id = c.account_id ORDER BY aa.achievement_code)
                AS achievement_codes,
              coalesce((SELECT json_agg(json_build_object('accountId', i.account_id::text,
                                                          'platform', i.platform,
                                                          'externalId', i.external_id))
                          FROM identities i
                         WHERE i.account_id = ANY(ARRAY[
                                 c.account_id,
                                 CASE WHEN c.type = 'account.unlinked'
                                       AND c.payload->>'telegramAccountId' ~ '^[0-9]{1,18}$'
                                      THEN (c.payload->>'telegramAccountId')::bigint END])),
                       '[]'::json) AS identities
         FROM claimed c
        ${leasing ? `WHERE ${COMMITS_WITHOUT_FLUSH}` : ''}`;
  return { name: `sync.claim/${lane}/${limit}`, text };
}

/**
 * Settles a batch. Parameters: $1-$3 completed rows (id, attempts, note), $4 now, $5-$11 failed
 * rows (id, attempts, error, retry ms, platforms told, final, failure record); role lanes also
 * $12 the holder, $13-$17 notification rows (account, key, payload, correlation, lane), $18 their
 * attempt budget, $19-$20 the members' applied roles (member, role ids as json). The lane is in
 * the text (see claimStatement).
 *
 * The arrays reach the statement through one materialized row (`batch`), so the planner's
 * estimate of each `unnest` is the same whatever their length: a generic plan costed like a
 * fresh one, which Postgres then keeps.
 */
export function settleStatement(lane: SyncLane): SyncStatement {
  return built(`settle/${lane}`, () => buildSettle(lane));
}

function buildSettle(lane: SyncLane): SyncStatement {
  const leasing = leasesMembers(lane);
  const roleArrays = `,
                $13::bigint[] AS note_accounts, $14::text[] AS note_keys,
                $15::jsonb[] AS note_payloads, $16::text[] AS note_correlations,
                $17::text[] AS note_lanes, $19::text[] AS role_members, $20::jsonb[] AS role_sets`;
  const roleWrites = `,
       released AS (
         DELETE FROM sync_member_leases WHERE holder = $12 RETURNING discord_user_id),
       stored AS (
         INSERT INTO discord_member_roles AS d (discord_user_id, role_ids, updated_at)
         SELECT s.member, ARRAY(SELECT jsonb_array_elements_text(s.roles)), clock_timestamp()
           FROM batch b, unnest(b.role_members, b.role_sets) AS s(member, roles)
          WHERE s.member IN (SELECT discord_user_id FROM released)
          ORDER BY s.member
         ON CONFLICT (discord_user_id)
         DO UPDATE SET role_ids = excluded.role_ids, updated_at = excluded.updated_at),
       notified AS (
         INSERT INTO sync_events (type, source, account_id, idempotency_key, payload, status,
                                  max_attempts, next_attempt_at, created_at, updated_at,
                                  correlation_id, lane)
         SELECT 'notify.dm', 'system', n.account_id, n.key, n.payload, 'pending', $18,
                now(), $4, $4, n.correlation_id, n.lane
           FROM batch b,
                unnest(b.note_accounts, b.note_keys, b.note_payloads, b.note_correlations,
                       b.note_lanes) AS n(account_id, key, payload, correlation_id, lane)
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING lane)`;
  const notified =
    'ARRAY(SELECT DISTINCT lane FROM notified) AS notified, ' +
    '(SELECT count(*) FROM notified) AS written';
  const text = `WITH batch AS MATERIALIZED (
         SELECT $1::bigint[] AS done_ids, $2::integer[] AS done_attempts, $3::text[] AS done_notes,
                $5::bigint[] AS failed_ids, $6::integer[] AS failed_attempts,
                $7::text[] AS failed_errors, $8::integer[] AS failed_retry_ms,
                $9::text[] AS failed_delivered, $10::boolean[] AS failed_final,
                $11::jsonb[] AS failed_records${leasing ? roleArrays : ''}),
       done AS (
         UPDATE sync_events e
            SET status = 'completed', completed_at = $4, updated_at = $4, lease_until = NULL,
                last_error = d.note
           FROM batch b, unnest(b.done_ids, b.done_attempts, b.done_notes) AS d(id, attempts, note)
          WHERE e.id = d.id AND e.status = 'processing' AND e.attempts = d.attempts
          RETURNING e.id),
       failed AS (
         UPDATE sync_events e
            SET status = CASE WHEN e.attempts >= e.max_attempts OR f.final THEN 'failed'
                              ELSE 'pending' END,
                next_attempt_at = CASE WHEN e.attempts >= e.max_attempts OR f.final
                  THEN e.next_attempt_at
                  ELSE clock_timestamp() + f.retry_ms * interval '1 millisecond' END,
                last_error = left(f.error, 2000), failure = f.failure, lease_until = NULL,
                updated_at = $4,
                delivered_platforms = ARRAY(
                  SELECT DISTINCT p
                    FROM unnest(e.delivered_platforms || string_to_array(f.delivered, ',')) AS p
                   ORDER BY p)
           FROM batch b,
                unnest(b.failed_ids, b.failed_attempts, b.failed_errors, b.failed_retry_ms,
                       b.failed_delivered, b.failed_final, b.failed_records)
                AS f(id, attempts, error, retry_ms, delivered, final, failure)
          WHERE e.id = f.id AND e.status = 'processing' AND e.attempts = f.attempts
          RETURNING e.id, e.status, f.retry_ms)${leasing ? roleWrites : ''}
       SELECT (SELECT json_agg(json_build_object('id', id::text, 'status', status,
                                                 'retry_in_ms', retry_ms)) FROM failed) AS failed,
              EXISTS (SELECT 1 FROM sync_events
                       WHERE lane = ${laneLiteral(lane)} AND status IN ('pending', 'processing')
                         AND next_attempt_at <= now()) AS more_due,
              ${leasing ? notified : "'{}'::text[] AS notified, 0 AS written"}
        WHERE ${COMMITS_WITHOUT_FLUSH}`;
  return { name: `sync.settle/${lane}`, text };
}
