import { Injectable } from '@nestjs/common';
import { AccountRecompute } from './account-recompute';
import { Notifier } from './notifier';
import { RoleGateway } from './role-gateway';

/**
 * Each bot registers its Notifier at boot. A platform without one is skipped, not an error:
 * a process without the Telegram bot simply does not tell Telegram users anything.
 */
@Injectable()
export class NotifierRegistry {
  private readonly notifiers = new Map<Notifier['platform'], Notifier>();

  register(notifier: Notifier): void {
    this.notifiers.set(notifier.platform, notifier);
  }

  unregister(platform: Notifier['platform']): void {
    this.notifiers.delete(platform);
  }

  get(platform: Notifier['platform']): Notifier | undefined {
    return this.notifiers.get(platform);
  }
}

/**
 * The Discord adapter registers its RoleGateway at boot. Without one (Discord off) role effects
 * are skipped with a log and a note on the event: never a faked success.
 */
@Injectable()
export class RoleGatewayRegistry {
  private gateway?: RoleGateway;

  register(gateway: RoleGateway): void {
    this.gateway = gateway;
  }

  unregister(): void {
    this.gateway = undefined;
  }

  get(): RoleGateway | undefined {
    return this.gateway;
  }
}

/**
 * The economy registers its AccountRecompute at boot (every role loads the economy). Without
 * one, reconcile's account repair fails loudly: drift is never reported as fixed when it was
 * not.
 */
@Injectable()
export class AccountRecomputeRegistry {
  private recomputer?: AccountRecompute;

  register(recomputer: AccountRecompute): void {
    this.recomputer = recomputer;
  }

  get(): AccountRecompute {
    if (!this.recomputer) {
      throw new Error('No AccountRecompute registered: is the EconomyModule loaded?');
    }
    return this.recomputer;
  }
}
