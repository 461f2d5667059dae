import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * XP rules that admins change while the app runs (docs/economy-and-games.md, "XP rules"):
 * - `xp_rule_multipliers`: a Discord channel or role and its multiplier (0 = earns no XP there);
 * - `xp_events`: double-XP windows (multiplier, the sources they cover);
 * - `xp_rule_settings`: the one row of global settings (the global multiplier, the rank-up
 *   announcements) and `version`, bumped by every change in the same transaction: each process
 *   compares it with the version of its cached copy every few seconds and reloads on a change;
 * - `rank_announcements`: one row per announced rank-up (unique per outbox event and platform, so
 *   a retried event is announced once), sent in batches per target.
 */
export class XpRules1764540000000 implements MigrationInterface {
  name = 'XpRules1764540000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE xp_rule_settings (
        id                 smallint     PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        version            bigint       NOT NULL DEFAULT 1,
        global_multiplier  numeric(6,2) NOT NULL DEFAULT 1
                                        CHECK (global_multiplier >= 0 AND global_multiplier <= 10),
        announce_enabled   boolean      NOT NULL DEFAULT false,
        announce_discord_channel_id text CHECK (announce_discord_channel_id ~ '^[0-9]{17,20}$'),
        announce_telegram_chat_id   text CHECK (announce_telegram_chat_id ~ '^-?[0-9]{1,20}$'),
        announce_template_ru text,
        announce_template_en text,
        updated_at         timestamptz  NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO xp_rule_settings (id) VALUES (1)`);
    await q.query(`
      CREATE TABLE xp_rule_multipliers (
        kind       text         NOT NULL CHECK (kind IN ('channel', 'role')),
        target_id  text         NOT NULL CHECK (target_id ~ '^[0-9]{17,20}$'),
        multiplier numeric(6,2) NOT NULL CHECK (multiplier >= 0 AND multiplier <= 10),
        note       text,
        updated_at timestamptz  NOT NULL DEFAULT now(),
        PRIMARY KEY (kind, target_id)
      )`);
    await q.query(`
      CREATE TABLE xp_events (
        id         bigserial    PRIMARY KEY,
        name       text         NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        multiplier numeric(6,2) NOT NULL CHECK (multiplier > 1 AND multiplier <= 10),
        sources    text[]       NOT NULL CHECK (cardinality(sources) > 0),
        starts_at  timestamptz  NOT NULL,
        ends_at    timestamptz  NOT NULL,
        created_at timestamptz  NOT NULL DEFAULT now(),
        CHECK (ends_at > starts_at)
      )`);
    await q.query(`CREATE INDEX xp_events_ends_idx ON xp_events (ends_at)`);
    await q.query(`
      CREATE TABLE rank_announcements (
        id            bigserial   PRIMARY KEY,
        sync_event_id bigint      NOT NULL,
        account_id    bigint      NOT NULL,
        rank_id       smallint    NOT NULL,
        platform      text        NOT NULL CHECK (platform IN ('telegram', 'discord')),
        status        text        NOT NULL DEFAULT 'pending'
                                  CHECK (status IN ('pending', 'sent', 'skipped')),
        created_at    timestamptz NOT NULL DEFAULT now(),
        sent_at       timestamptz,
        UNIQUE (sync_event_id, platform)
      )`);
    await q.query(
      `CREATE INDEX rank_announcements_pending_idx ON rank_announcements (platform, id) WHERE status = 'pending'`,
    );
    // The last message per platform: the pace every sending process keeps to.
    await q.query(
      `CREATE INDEX rank_announcements_sent_idx ON rank_announcements (platform, sent_at DESC) WHERE status = 'sent'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rank_announcements`);
    await q.query(`DROP TABLE xp_events`);
    await q.query(`DROP TABLE xp_rule_multipliers`);
    await q.query(`DROP TABLE xp_rule_settings`);
  }
}
