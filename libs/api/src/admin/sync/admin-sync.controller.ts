import { Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { QueueCounts, QueueInspector } from '@ttfd/observability';
import { ReconcileReport, ReconcileService, SyncAdminService } from '@ttfd/sync';
import { AdminController } from '../admin-route.decorator';
import { EventIdParam, ReportsQuery, SyncEventsQueryParams } from '../admin.dto';
import { SyncEventPage, SyncEventsQuery } from './sync-events.query';

@AdminController('', 'sync')
export class AdminSyncController {
  constructor(
    private readonly events: SyncEventsQuery,
    private readonly admin: SyncAdminService,
    private readonly reconcile: ReconcileService,
    private readonly queues: QueueInspector,
  ) {}

  @Get('sync/events')
  @ApiOperation({ summary: 'Outbox events, newest first, filtered by status, type, account' })
  list(@Query() query: SyncEventsQueryParams): Promise<SyncEventPage> {
    const { first, after, ...filter } = query;
    return this.events.page(filter, first, after ?? null);
  }

  @Post('sync/events/retry-failed')
  @HttpCode(200)
  @ApiOperation({ summary: 'Every failed event back to pending' })
  async retryFailed(): Promise<{ retried: number }> {
    return { retried: await this.admin.retryAllFailed() };
  }

  @Post('sync/events/:id/retry')
  @HttpCode(200)
  @ApiOperation({
    summary: 'One failed event back to pending (retried: false if it was not failed)',
  })
  async retry(@Param() { id }: EventIdParam): Promise<{ retried: boolean }> {
    return { retried: await this.admin.retry(id) };
  }

  @Post('reconcile')
  @HttpCode(202)
  @ApiOperation({ summary: 'Start a reconcile run now; its report carries the returned job id' })
  async runReconcile(): Promise<{ jobId: string }> {
    return { jobId: await this.reconcile.runNow() };
  }

  @Get('reconcile/reports')
  @ApiOperation({ summary: 'Latest reconcile reports: checked, drifted, fixed by kind' })
  reports(@Query() { limit }: ReportsQuery): Promise<ReconcileReport[]> {
    return this.reconcile.reports(limit ?? 20);
  }

  @Get('queues')
  @ApiOperation({ summary: 'Jobs per BullMQ queue: waiting, active, delayed, failed' })
  async queueCounts(): Promise<
    Record<string, Pick<QueueCounts, 'waiting' | 'active' | 'delayed' | 'failed'>>
  > {
    const counts = await this.queues.counts();
    return Object.fromEntries(
      Object.entries(counts).map(([name, c]) => [
        name,
        {
          waiting: c.waiting + c.prioritized,
          active: c.active,
          delayed: c.delayed,
          failed: c.failed,
        },
      ]),
    );
  }
}
