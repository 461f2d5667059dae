import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Spending Discord's request budget on changes, not reads:
 * - `discord_member_roles`: per Discord member, the role ids as we last set or listed them, so a
 *   convergence plans from them instead of reading the member over REST. `role_ids` NULL means
 *   unknown (a change in flight, or one that failed midway): the next convergence reads.
 *   `updated_at` is the database's clock, so reconcile can tell a listing older than a write.
 * - `sync_events.delivered_platforms`: the platforms an event's message already reached, so a
 *   retry caused by one platform never repeats the other's message.
 */
export class DiscordBudget1764600000000 implements MigrationInterface {
  name = 'DiscordBudget1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE discord_member_roles (
        discord_user_id text PRIMARY KEY,
        role_ids text[],
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(
      `ALTER TABLE sync_events ADD COLUMN delivered_platforms text[] NOT NULL DEFAULT '{}'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sync_events DROP COLUMN delivered_platforms`);
    await q.query(`DROP TABLE discord_member_roles`);
  }
}
