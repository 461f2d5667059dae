import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * PGlite (Postgres compiled to WebAssembly) behind pglite-socket, so that the ordinary `pg`
 * driver talks to it over loopback. PGlite runs one session: the pool in front of it must have
 * exactly one connection, and every query inside a transaction must use that transaction's
 * manager (a query from outside would wait for the connection forever).
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly url: string,
  ) {}

  /** `dataDir` null keeps the database in memory (tests). */
  static async start(dataDir: string | null): Promise<EmbeddedPostgres> {
    let db: PGlite;
    if (dataDir) {
      const path = resolve(dataDir, 'pglite');
      mkdirSync(path, { recursive: true });
      db = await PGlite.create(path);
    } else {
      db = await PGlite.create();
    }
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
    await server.start();
    const url = `postgres://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
    return new EmbeddedPostgres(db, server, url);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
  }
}
