import type { IdentityService } from '@ttfd/linking';
import { PlayerDirectory } from './player-directory';
import type { Turn } from './turn';

/** An identity service whose resolve answers when the test says so, with the account it names. */
class ManualIdentities {
  private answer: (() => void) | undefined;
  resolved = false;

  constructor(private readonly accountId: string) {}

  resolve(): Promise<{ accountId: string; created: boolean }> {
    return new Promise((resolve) => {
      this.answer = () => {
        this.resolved = true;
        resolve({ accountId: this.accountId, created: false });
      };
    });
  }

  finish(): void {
    this.answer?.();
  }
}

const turn = {
  externalId: '7001',
  from: { id: 7001, username: 'ann' },
  displayName: 'Ann',
} as unknown as Turn;

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('PlayerDirectory.resolveWith', () => {
  function directory(accountId: string) {
    const identities = new ManualIdentities(accountId);
    return {
      identities,
      players: new PlayerDirectory(identities as unknown as IdentityService),
    };
  }

  it('reads by the identity while the resolve runs, and keeps that read when the accounts agree', async () => {
    const { identities, players } = directory('42');
    const byAccount = jest.fn(async (id: string) => `by account ${id}`);
    let readWhileResolving = false;
    const result = players.resolveWith(turn, {
      byIdentity: async (externalId) => {
        readWhileResolving = !identities.resolved;
        return { accountId: '42', value: `by identity ${externalId}` };
      },
      byAccount,
    });
    await flush();
    expect(readWhileResolving).toBe(true);
    identities.finish();
    await expect(result).resolves.toEqual({ accountId: '42', value: 'by identity 7001' });
    expect(byAccount).not.toHaveBeenCalled();
  });

  it("reads again by the account resolved when the identity was not there yet (a player's first command)", async () => {
    const { identities, players } = directory('43');
    const result = players.resolveWith(turn, {
      byIdentity: async () => null,
      byAccount: async (id) => `by account ${id}`,
    });
    identities.finish();
    await expect(result).resolves.toEqual({ accountId: '43', value: 'by account 43' });
  });

  it('reads again by the account resolved when the identity pointed elsewhere (moved by a link)', async () => {
    const { identities, players } = directory('44');
    const result = players.resolveWith(turn, {
      byIdentity: async () => ({ accountId: '12', value: 'the account it left' }),
      byAccount: async (id) => `by account ${id}`,
    });
    identities.finish();
    await expect(result).resolves.toEqual({ accountId: '44', value: 'by account 44' });
  });

  it('fails as the resolve fails (a store outage reaches the intake)', async () => {
    const players = new PlayerDirectory({
      resolve: () => Promise.reject(new Error('connection refused')),
    } as unknown as IdentityService);
    await expect(
      players.resolveWith(turn, {
        byIdentity: async () => null,
        byAccount: async () => 'never',
      }),
    ).rejects.toThrow('connection refused');
  });
});
