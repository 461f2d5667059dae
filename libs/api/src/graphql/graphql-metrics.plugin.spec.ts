import { GraphQLRequestListener } from '@apollo/server';
import { AppMetrics, MetricsRegistry } from '@ttfd/observability';
import { graphqlMetricsPlugin } from './graphql-metrics.plugin';

type Listener = GraphQLRequestListener<Record<string, never>>;

describe('graphqlMetricsPlugin', () => {
  it('keeps one series for 10,000 invented operation names', async () => {
    const registry = new MetricsRegistry();
    const plugin = graphqlMetricsPlugin(new AppMetrics(registry));
    const run = async (operationName: string) => {
      const listener = (await plugin.requestDidStart!({} as never)) as Listener;
      await listener.didResolveOperation!({
        operation: { operation: 'query' },
        operationName,
      } as never);
      await listener.willSendResponse!({
        response: { body: { kind: 'single', singleResult: {} } },
        errors: undefined,
      } as never);
    };
    const series = async () =>
      (await registry.registry.getSingleMetricAsString('ttfd_graphql_operation_duration_seconds'))
        .split('\n')
        .filter((line) => line.startsWith('ttfd_graphql_operation_duration_seconds_count'));
    await run('Overview');
    const before = await series();
    for (let i = 0; i < 10_000; i += 1)
      await run(`Probe${i}${Math.random().toString(36).slice(2)}`);
    const after = await series();
    expect(after.length - before.length).toBe(1);
    expect(after.find((line) => !before.includes(line))).toContain('name="other"');
  });
});
