import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { JobHandler } from './job-handler';
import { SyncObservers } from '../ports/sync-observers';
import { JobHandlerRegistry } from './job-handler.registry';

@Injectable()
@JobHandler('sync.lane')
class SyncHandler {
  async handle(): Promise<void> {}
}

@Injectable()
@JobHandler('sync.lane')
class SecondSyncHandler {
  async handle(): Promise<void> {}
}

@Injectable()
@JobHandler('reconcile.run')
class ReconcileHandler {
  async handle(): Promise<void> {}
}

@Injectable()
@JobHandler('cleanup.run')
class CleanupHandler {
  async handle(): Promise<void> {}
}

async function boot(handlers: (new () => unknown)[]): Promise<void> {
  const moduleRef = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [JobHandlerRegistry, SyncObservers, ...handlers],
  }).compile();
  const app = moduleRef.createNestApplication();
  try {
    await app.init();
  } finally {
    await app.close();
  }
}

describe('JobHandlerRegistry boot check', () => {
  it('boots when every job name has exactly one handler', async () => {
    await expect(boot([SyncHandler, ReconcileHandler, CleanupHandler])).resolves.toBeUndefined();
  });

  it('fails the boot for a job name without a handler', async () => {
    await expect(boot([SyncHandler, ReconcileHandler])).rejects.toThrow(
      'cleanup.run has 0 handlers',
    );
  });

  it('fails the boot for a job name with two handlers', async () => {
    await expect(
      boot([SyncHandler, SecondSyncHandler, ReconcileHandler, CleanupHandler]),
    ).rejects.toThrow('sync.lane has 2 handlers');
  });
});
