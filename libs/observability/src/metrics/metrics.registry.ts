import { Injectable, Logger } from '@nestjs/common';
import { Registry } from 'prom-client';

export type ScrapeHook = () => Promise<void>;

/**
 * The app's own prom-client Registry (never the global one, so two apps in one test process
 * do not share series). Gauges that describe the database or the queues are refreshed by
 * scrape hooks right before rendering: a scrape costs a few grouped queries, nothing runs
 * in between.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();
  private readonly hooks = new Map<string, ScrapeHook>();
  private readonly logger = new Logger(MetricsRegistry.name);

  onScrape(name: string, hook: ScrapeHook): void {
    this.hooks.set(name, hook);
  }

  async render(): Promise<string> {
    const results = await Promise.allSettled([...this.hooks.values()].map((hook) => hook()));
    const names = [...this.hooks.keys()];
    results.forEach((result, index) => {
      // A failing source (Redis down) must not take the whole scrape with it: the other
      // series still render, and ttfd_scrape_errors... would need state; a warning suffices.
      if (result.status === 'rejected') {
        this.logger.warn(`Metrics source ${names[index]} failed: ${String(result.reason)}`);
      }
    });
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
