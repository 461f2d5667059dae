import { liveView } from '../components/live-view';
import { errorBox, notice } from '../components/status';
import { table } from '../components/table';
import { fill, formatTime, h } from '../dom';
import { gql } from '../graphql-client';
import { Page } from '../router';

const REPORTS = `{ reconcileReports(limit: 20) {
  id jobId trigger status checked drifted fixed alerts error startedAt finishedAt } }`;

interface Report {
  id: string;
  jobId: string;
  trigger: string;
  status: string;
  checked: Record<string, number>;
  drifted: Record<string, number>;
  fixed: Record<string, number>;
  alerts: unknown;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

/** `{ledger: 40, roles: 12}` -> "ledger 40 · roles 12"; the kinds are the reconcile's own. */
function byKind(counts: Record<string, number>): string {
  const entries = Object.entries(counts ?? {});
  return entries.length === 0 ? '–' : entries.map(([kind, n]) => `${kind} ${n}`).join(' · ');
}

export const reconcilePage: Page = {
  path: '/reconcile',
  title: 'Reconcile',
  access: 'admin',
  render(context) {
    const message = h('div', { class: 'form-message' });
    const reports = liveView(context, {
      load: async () => (await gql<{ reconcileReports: Report[] }>(REPORTS)).reconcileReports,
      render: (rows) =>
        table(
          [
            { title: 'started', cell: (r) => formatTime(r.startedAt) },
            { title: 'status', cell: (r) => h('span', { class: `status-${r.status}` }, r.status) },
            { title: 'checked', cell: (r) => byKind(r.checked) },
            { title: 'drifted', cell: (r) => byKind(r.drifted) },
            { title: 'fixed', cell: (r) => byKind(r.fixed) },
            { title: 'trigger', cell: (r) => r.trigger, narrowHidden: true },
            { title: 'error', cell: (r) => r.error ?? '', narrowHidden: true },
          ],
          rows,
          {
            empty: 'No reconcile has run yet (it runs every 15 minutes, or now with the button).',
            rowAttributes: (r) => ({ 'data-job-id': r.jobId, 'data-status': r.status }),
          },
        ),
      everyMs: 5000,
    });
    const run = h('button', { type: 'button', id: 'run-reconcile' }, 'Run now');
    run.addEventListener('click', () => {
      run.disabled = true;
      gql<{ runReconcile: string }>(`mutation { runReconcile }`)
        .then(({ runReconcile }) => {
          fill(message, notice(`Started ${runReconcile}; its report appears below.`));
          return reports.refresh();
        })
        .catch((error: unknown) => fill(message, errorBox(error)))
        .finally(() => {
          run.disabled = false;
        });
    });
    context.root.append(
      h('h1', {}, 'Reconcile'),
      h(
        'p',
        { class: 'muted' },
        'Ledger sums against totals, ranks against XP, Discord roles against the wanted ones.',
      ),
      h('div', { class: 'actions' }, run),
      message,
      reports.element,
    );
  },
};
