import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '@ttfd/config';
import { SyncEventRepository } from '../processing/sync-event.repository';
import { LaneWakeUps } from './lane-wake-ups';
import { SYNC_LANES } from './sync-lanes';

/**
 * Flow 3. An in-process interval (not a BullMQ repeatable job: a flushed Redis would lose it)
 * wakes every lane that has due rows: pending and due, or leased by a worker that died. So a
 * lost wake-up (a flushed Redis, Redis down at commit, a lost retry wake-up) only delays the
 * effects by up to SYNC_RELAY_INTERVAL_MS. It moves no rows: the claimers decide.
 */
@Injectable()
export class LaneSweepCron implements OnApplicationBootstrap {
  private readonly logger = new Logger('LaneSweep');
  private running = false;
  private lastErrorLog = 0;

  constructor(
    private readonly events: SyncEventRepository,
    private readonly wakeUps: LaneWakeUps,
    private readonly scheduler: SchedulerRegistry,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const interval = setInterval(() => void this.tick(), this.config.env.SYNC_RELAY_INTERVAL_MS);
    this.scheduler.addInterval('sync-lane-sweep', interval);
  }

  /** One pass; returns the lanes it woke. Passes never overlap. */
  async tick(): Promise<string[]> {
    if (this.running) return [];
    this.running = true;
    try {
      const lanes = await this.events.dueLanes(SYNC_LANES);
      for (const lane of lanes) await this.wakeUps.wake(lane);
      return lanes;
    } catch (error) {
      if (Date.now() - this.lastErrorLog > 30_000) {
        this.lastErrorLog = Date.now();
        this.logger.warn(`Sweep failed: ${(error as Error).message}`);
      }
      return [];
    } finally {
      this.running = false;
    }
  }
}
