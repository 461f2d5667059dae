import { RoleGateway } from '@ttfd/sync';

const MAX_RATE_LIMIT_WAITS = 5;

/**
 * RoleGateway of a drill's worker process over the drill's HttpGuild. Like discord.js's REST
 * queue it waits out a 429 (Retry-After) a few times before giving up; a 5xx is thrown for the
 * sync to retry with backoff.
 */
export class HttpRoleGateway extends RoleGateway {
  constructor(private readonly baseUrl: string) {
    super();
  }

  async readMemberRoles(discordUserId: string): Promise<string[] | 'gone'> {
    const response = await this.call('GET', `/members/${discordUserId}`);
    if (response === 'gone') return 'gone';
    return ((await response.json()) as { roles: string[] }).roles;
  }

  async addRole(discordUserId: string, roleId: string): Promise<'ok' | 'gone'> {
    const response = await this.call('PUT', `/members/${discordUserId}/roles/${roleId}`);
    return response === 'gone' ? 'gone' : 'ok';
  }

  async removeRole(discordUserId: string, roleId: string): Promise<'ok' | 'gone'> {
    const response = await this.call('DELETE', `/members/${discordUserId}/roles/${roleId}`);
    return response === 'gone' ? 'gone' : 'ok';
  }

  async listMembers(
    afterUserId: string | null,
    limit: number,
  ): Promise<{ members: { userId: string; roles: string[] }[] }> {
    const query = `?limit=${limit}${afterUserId ? `&after=${afterUserId}` : ''}`;
    const response = await this.call('GET', `/members${query}`);
    if (response === 'gone') throw new Error('member list unavailable');
    return (await response.json()) as { members: { userId: string; roles: string[] }[] };
  }

  private async call(method: string, path: string): Promise<Response | 'gone'> {
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(`${this.baseUrl}${path}`, {
        method,
        signal: AbortSignal.timeout(5_000),
      });
      if (response.status === 429 && attempt < MAX_RATE_LIMIT_WAITS) {
        const seconds = Number(response.headers.get('retry-after') ?? '1');
        await response.arrayBuffer();
        await new Promise((resolve) => setTimeout(resolve, Math.min(seconds, 10) * 1000));
        continue;
      }
      if (response.status === 404) return 'gone';
      if (!response.ok) throw new Error(`guild answered ${response.status} to ${method} ${path}`);
      return response;
    }
  }
}
