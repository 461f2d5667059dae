import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';

export interface GuildCall {
  op: 'read' | 'add' | 'remove' | 'list';
  userId?: string;
  roleId?: string;
  status: number;
  /** An add of a role already held, or a remove of one not held: a call that changed nothing. */
  needless: boolean;
}

interface Failure {
  status: 429 | 500;
  retryAfterSeconds: number;
  remaining: number;
}

/**
 * A guild on loopback, shared by every worker process of a drill (an in-memory guild could not
 * be): members' roles, every call recorded (with whether it changed anything), and failures to
 * inject (429 with Retry-After, 500), like Discord's member-role routes.
 */
export class HttpGuild {
  readonly calls: GuildCall[] = [];
  private readonly members = new Map<string, Set<string>>();
  private failures: Failure[] = [];
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    const server = createServer((req, res) => this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  setMember(userId: string, roles: string[]): void {
    this.members.set(userId, new Set(roles));
  }

  rolesOf(userId: string): string[] | undefined {
    const roles = this.members.get(userId);
    return roles ? [...roles].sort() : undefined;
  }

  failNext(status: 429 | 500, times: number, retryAfterSeconds = 0.2): void {
    this.failures.push({ status, retryAfterSeconds, remaining: times });
  }

  heal(): void {
    this.failures = [];
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    // /members/:user[/roles/:role] and /members?after=&limit=
    const url = new URL(req.url ?? '/', 'http://guild');
    const [, members, userId, roles, roleId] = url.pathname.split('/');
    if (members !== 'members') return this.send(res, 404, { message: 'no route' });
    const op: GuildCall['op'] = !userId
      ? 'list'
      : req.method === 'GET'
        ? 'read'
        : req.method === 'PUT'
          ? 'add'
          : 'remove';
    const failure = op === 'list' ? undefined : this.failures.find((f) => f.remaining > 0);
    if (failure) {
      failure.remaining -= 1;
      this.calls.push({ op, userId, roleId, status: failure.status, needless: false });
      if (failure.status === 429) {
        res.setHeader('retry-after', String(failure.retryAfterSeconds));
        return this.send(res, 429, { retry_after: failure.retryAfterSeconds });
      }
      return this.send(res, 500, { message: 'injected' });
    }
    if (op === 'list') {
      const after = url.searchParams.get('after');
      const limit = Number(url.searchParams.get('limit') ?? '1000');
      const page = [...this.members.keys()]
        .filter((id) => !after || BigInt(id) > BigInt(after))
        .sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))
        .slice(0, limit)
        .map((id) => ({ userId: id, roles: [...this.members.get(id)!] }));
      this.calls.push({ op, status: 200, needless: false });
      return this.send(res, 200, { members: page });
    }
    const held = this.members.get(userId!);
    if (!held) {
      this.calls.push({ op, userId, roleId, status: 404, needless: false });
      return this.send(res, 404, { message: 'Unknown Member' });
    }
    if (op === 'read') {
      this.calls.push({ op, userId, status: 200, needless: false });
      return this.send(res, 200, { roles: [...held] });
    }
    if (roles !== 'roles' || !roleId) return this.send(res, 404, { message: 'no route' });
    const needless = op === 'add' ? held.has(roleId) : !held.has(roleId);
    if (op === 'add') held.add(roleId);
    else held.delete(roleId);
    this.calls.push({ op, userId, roleId, status: 204, needless });
    res.statusCode = 204;
    res.end();
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  }
}
