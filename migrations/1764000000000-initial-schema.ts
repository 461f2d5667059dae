import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole data model of ARCHITECTURE.md. Hand-written SQL that runs on PostgreSQL 15 and on
 * PGlite (PostgreSQL 17). Never edit this file once landed: add a new migration instead.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ranks (
        id        smallint PRIMARY KEY CHECK (id BETWEEN 1 AND 20),
        name_ru   text     NOT NULL,
        name_en   text     NOT NULL,
        min_xp    bigint   NOT NULL UNIQUE CHECK (min_xp >= 0)
      )`);

    await q.query(`
      CREATE TABLE accounts (
        id          bigserial   PRIMARY KEY,
        xp          bigint      NOT NULL DEFAULT 0 CHECK (xp >= 0),
        coins       bigint      NOT NULL DEFAULT 0 CHECK (coins >= 0),
        rank_id     smallint    NOT NULL DEFAULT 1 REFERENCES ranks (id),
        merged_into bigint      REFERENCES accounts (id),
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        CHECK (merged_into IS NULL OR merged_into <> id)
      )`);
    await q.query(
      `CREATE INDEX accounts_xp_idx ON accounts (xp DESC, id) WHERE merged_into IS NULL`,
    );

    await q.query(`
      CREATE TABLE identities (
        id           bigserial   PRIMARY KEY,
        account_id   bigint      NOT NULL REFERENCES accounts (id),
        platform     text        NOT NULL CHECK (platform IN ('telegram', 'discord')),
        external_id  text        NOT NULL CHECK (external_id ~ '^[0-9]{1,20}$'),
        username     text,
        display_name text,
        locale       text,
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT identities_platform_external_uq UNIQUE (platform, external_id),
        CONSTRAINT identities_account_platform_uq UNIQUE (account_id, platform)
      )`);

    // One row per business event; an event may move XP, coins or both (the daily reward).
    await q.query(`
      CREATE TABLE ledger_entries (
        id              bigserial   PRIMARY KEY,
        account_id      bigint      NOT NULL REFERENCES accounts (id),
        xp_delta        bigint      NOT NULL DEFAULT 0,
        coins_delta     bigint      NOT NULL DEFAULT 0,
        reason          text        NOT NULL CHECK (reason ~ '^[a-z][a-z0-9_]{0,63}$'),
        source          text        NOT NULL CHECK (source IN ('telegram', 'discord', 'admin', 'system')),
        entity_id       text,
        idempotency_key text        NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
        created_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ledger_entries_idempotency_key_uq UNIQUE (idempotency_key),
        CHECK (xp_delta <> 0 OR coins_delta <> 0)
      )`);
    await q.query(`CREATE INDEX ledger_entries_account_idx ON ledger_entries (account_id, id)`);
    await q.query(
      `CREATE INDEX ledger_entries_account_reason_idx ON ledger_entries (account_id, reason)`,
    );
    // Season standings are ledger sums over a time window.
    await q.query(
      `CREATE INDEX ledger_entries_time_idx ON ledger_entries (created_at) INCLUDE (account_id, xp_delta)`,
    );

    await q.query(`
      CREATE TABLE achievements (
        code           text     PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{0,63}$'),
        name_ru        text     NOT NULL,
        name_en        text     NOT NULL,
        description_ru text     NOT NULL,
        description_en text     NOT NULL,
        sort_order     smallint NOT NULL DEFAULT 0
      )`);

    await q.query(`
      CREATE TABLE account_achievements (
        account_id       bigint      NOT NULL REFERENCES accounts (id),
        achievement_code text        NOT NULL REFERENCES achievements (code),
        unlocked_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, achievement_code)
      )`);

    await q.query(`
      CREATE TABLE rank_role_mappings (
        rank_id         smallint    PRIMARY KEY REFERENCES ranks (id),
        discord_role_id text        CHECK (discord_role_id ~ '^[0-9]{17,20}$'),
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE UNIQUE INDEX rank_role_mappings_role_uq
        ON rank_role_mappings (discord_role_id) WHERE discord_role_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE achievement_role_mappings (
        achievement_code text        PRIMARY KEY REFERENCES achievements (code),
        discord_role_id  text        CHECK (discord_role_id ~ '^[0-9]{17,20}$'),
        updated_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE UNIQUE INDEX achievement_role_mappings_role_uq
        ON achievement_role_mappings (discord_role_id) WHERE discord_role_id IS NOT NULL`);

    // The outbox. Written in the same transaction as the change it reports.
    await q.query(`
      CREATE TABLE sync_events (
        id              bigserial   PRIMARY KEY,
        type            text        NOT NULL CHECK (type ~ '^[a-z]+\\.[a-z_]+$'),
        source          text        NOT NULL CHECK (source IN ('telegram', 'discord', 'admin', 'system')),
        account_id      bigint      REFERENCES accounts (id),
        ledger_entry_id bigint      REFERENCES ledger_entries (id),
        idempotency_key text,
        payload         jsonb       NOT NULL DEFAULT '{}'::jsonb,
        status          text        NOT NULL DEFAULT 'pending'
                                    CHECK (status IN ('pending', 'processing', 'completed', 'failed')),
        attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        max_attempts    integer     NOT NULL DEFAULT 8 CHECK (max_attempts >= 1),
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_until     timestamptz,
        last_error      text,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        completed_at    timestamptz,
        CONSTRAINT sync_events_idempotency_key_uq UNIQUE (idempotency_key)
      )`);
    await q.query(`
      CREATE INDEX sync_events_open_idx ON sync_events (next_attempt_at, id)
        WHERE status IN ('pending', 'processing')`);
    await q.query(`CREATE INDEX sync_events_status_type_idx ON sync_events (status, type)`);
    await q.query(`CREATE INDEX sync_events_account_idx ON sync_events (account_id, id)`);
    await q.query(`
      CREATE INDEX sync_events_completed_idx ON sync_events (completed_at)
        WHERE status = 'completed'`);
    await q.query(`CREATE INDEX sync_events_created_idx ON sync_events (created_at)`);

    await q.query(`
      CREATE TABLE seasons (
        id         serial      PRIMARY KEY,
        name       text        NOT NULL,
        starts_at  timestamptz NOT NULL,
        ends_at    timestamptz NOT NULL,
        status     text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        closed_at  timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at > starts_at),
        CHECK ((status = 'closed') = (closed_at IS NOT NULL))
      )`);
    await q.query(
      `CREATE UNIQUE INDEX seasons_one_open_uq ON seasons ((true)) WHERE status = 'open'`,
    );

    await q.query(`
      CREATE TABLE link_codes (
        id                  bigserial   PRIMARY KEY,
        code_hash           text        NOT NULL,
        account_id          bigint      NOT NULL REFERENCES accounts (id),
        issued_on           text        NOT NULL CHECK (issued_on IN ('telegram', 'discord')),
        expires_at          timestamptz NOT NULL,
        consumed_at         timestamptz,
        consumed_by_account bigint      REFERENCES accounts (id),
        created_at          timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT link_codes_code_hash_uq UNIQUE (code_hash)
      )`);
    await q.query(`CREATE INDEX link_codes_expires_idx ON link_codes (expires_at)`);
    await q.query(`CREATE INDEX link_codes_account_idx ON link_codes (account_id)`);

    await q.query(`
      CREATE TABLE link_attempts (
        id           bigserial   PRIMARY KEY,
        platform     text        NOT NULL CHECK (platform IN ('telegram', 'discord')),
        external_id  text        NOT NULL,
        succeeded    boolean     NOT NULL,
        attempted_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX link_attempts_redeemer_idx ON link_attempts (platform, external_id, attempted_at)`,
    );

    await q.query(`
      CREATE TABLE game_sessions (
        id          bigserial   PRIMARY KEY,
        account_id  bigint      NOT NULL REFERENCES accounts (id),
        game        text        NOT NULL CHECK (game IN ('guess', 'quiz')),
        status      text        NOT NULL DEFAULT 'active'
                                CHECK (status IN ('active', 'won', 'lost', 'abandoned')),
        state       jsonb       NOT NULL DEFAULT '{}'::jsonb,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`
      CREATE UNIQUE INDEX game_sessions_one_active_uq ON game_sessions (account_id, game)
        WHERE status = 'active'`);
    await q.query(
      `CREATE INDEX game_sessions_updated_idx ON game_sessions (updated_at) WHERE status = 'active'`,
    );

    // One row per claimed day: the primary key makes a day claimable once, yesterday's row
    // gives the streak.
    await q.query(`
      CREATE TABLE daily_claims (
        account_id bigint      NOT NULL REFERENCES accounts (id),
        claim_date date        NOT NULL,
        streak     integer     NOT NULL CHECK (streak >= 1),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, claim_date)
      )`);

    await q.query(`
      CREATE TABLE voice_sessions (
        id                 bigserial   PRIMARY KEY,
        account_id         bigint      NOT NULL REFERENCES accounts (id),
        discord_user_id    text        NOT NULL,
        channel_id         text        NOT NULL,
        status             text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        started_at         timestamptz NOT NULL,
        last_checkpoint_at timestamptz NOT NULL,
        credited_minutes   integer     NOT NULL DEFAULT 0 CHECK (credited_minutes >= 0),
        earning_ms         bigint      NOT NULL DEFAULT 0 CHECK (earning_ms >= 0),
        closed_at          timestamptz
      )`);
    await q.query(`
      CREATE UNIQUE INDEX voice_sessions_one_open_uq ON voice_sessions (discord_user_id)
        WHERE status = 'open'`);

    await q.query(`
      CREATE TABLE reconcile_reports (
        id          bigserial   PRIMARY KEY,
        job_id      text        NOT NULL,
        trigger     text        NOT NULL CHECK (trigger IN ('schedule', 'manual')),
        status      text        NOT NULL DEFAULT 'running'
                                CHECK (status IN ('running', 'completed', 'failed')),
        checked     jsonb       NOT NULL DEFAULT '{}'::jsonb,
        drifted     jsonb       NOT NULL DEFAULT '{}'::jsonb,
        fixed       jsonb       NOT NULL DEFAULT '{}'::jsonb,
        alerts      jsonb       NOT NULL DEFAULT '[]'::jsonb,
        error       text,
        started_at  timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        CONSTRAINT reconcile_reports_job_uq UNIQUE (job_id)
      )`);
    await q.query(
      `CREATE INDEX reconcile_reports_started_idx ON reconcile_reports (started_at DESC)`,
    );

    await this.seed(q);
  }

  /**
   * 20 ranks on a curve derived from MEE6's per-level cost 5L^2 + 50L + 100, summed and
   * multiplied by ten (rank r needs 10 * sum_{L=0}^{r-2} cost(L) XP). See libs/economy.
   */
  private async seed(q: QueryRunner): Promise<void> {
    await q.query(`
      INSERT INTO ranks (id, name_ru, name_en, min_xp) VALUES
        (1, 'Новичок', 'Rookie', 0),
        (2, 'Ученик', 'Apprentice', 1000),
        (3, 'Искатель', 'Seeker', 2550),
        (4, 'Боец', 'Fighter', 4750),
        (5, 'Воин', 'Warrior', 7700),
        (6, 'Ветеран', 'Veteran', 11500),
        (7, 'Страж', 'Guardian', 16250),
        (8, 'Рыцарь', 'Knight', 22050),
        (9, 'Капитан', 'Captain', 29000),
        (10, 'Командир', 'Commander', 37200),
        (11, 'Мастер', 'Master', 46750),
        (12, 'Эксперт', 'Expert', 57750),
        (13, 'Чемпион', 'Champion', 70300),
        (14, 'Герой', 'Hero', 84500),
        (15, 'Магистр', 'Grandmaster', 100450),
        (16, 'Хранитель', 'Keeper', 118250),
        (17, 'Титан', 'Titan', 138000),
        (18, 'Мифический', 'Mythic', 159800),
        (19, 'Бессмертный', 'Immortal', 183750),
        (20, 'Легенда', 'Legend', 209950)`);
    await q.query(`INSERT INTO rank_role_mappings (rank_id) SELECT id FROM ranks`);

    await q.query(`
      INSERT INTO achievements (code, name_ru, name_en, description_ru, description_en, sort_order) VALUES
        ('first_win', 'Первая победа', 'First victory',
          'Выиграй любую мини-игру', 'Win any mini-game', 10),
        ('daily_streak_7', 'Неделя подряд', 'Seven-day streak',
          'Забирай ежедневную награду 7 дней подряд', 'Claim the daily reward 7 days in a row', 20),
        ('rank_5', 'Воин', 'Warrior', 'Достигни 5-го ранга', 'Reach rank 5', 30),
        ('rank_10', 'Командир', 'Commander', 'Достигни 10-го ранга', 'Reach rank 10', 40),
        ('rank_15', 'Магистр', 'Grandmaster', 'Достигни 15-го ранга', 'Reach rank 15', 50),
        ('rank_20', 'Легенда', 'Legend', 'Достигни 20-го ранга', 'Reach rank 20', 60),
        ('linked', 'Два мира', 'Two worlds',
          'Привяжи Telegram и Discord', 'Link Telegram and Discord', 70),
        ('voice_60', 'Час в эфире', 'An hour on air',
          'Проведи 60 минут в голосовых каналах Discord', 'Spend 60 minutes in Discord voice', 80),
        ('messages_100', 'Сотня сообщений', 'A hundred messages',
          'Напиши 100 сообщений в Discord', 'Write 100 messages on Discord', 90),
        ('season_top_3', 'Призёр сезона', 'Season podium',
          'Займи место в тройке лучших сезона', 'Finish a season in the top three', 100)`);
    await q.query(
      `INSERT INTO achievement_role_mappings (achievement_code) SELECT code FROM achievements`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'reconcile_reports',
      'voice_sessions',
      'daily_claims',
      'game_sessions',
      'link_attempts',
      'link_codes',
      'seasons',
      'sync_events',
      'achievement_role_mappings',
      'rank_role_mappings',
      'account_achievements',
      'achievements',
      'ledger_entries',
      'identities',
      'accounts',
      'ranks',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
