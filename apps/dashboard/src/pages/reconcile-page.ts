import { liveView } from '../components/live-view';
import { errorBox, notice } from '../components/status';
import { table } from '../components/table';
import { fill, h, timeAgo } from '../dom';
import { gql } from '../graphql-client';
import { Page } from '../router';
import { counted, sourceWord, statusWord } from '../words';

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

/** Non-zero counters only, in words: "40 accounts, 12 Discord members". */
function listed(counts: Record<string, number> | null): string[] {
  return Object.entries(counts ?? {})
    .filter(([, n]) => typeof n === 'number' && n > 0)
    .map(([code, n]) => counted(n, code));
}

/**
 * A report in sentences: what was checked, what had drifted (highlighted when anything did) and
 * what was repaired. Counters a newer server adds are still put into words.
 */
function summary(report: Report): HTMLElement {
  if (report.status === 'running') {
    return h('div', { class: 'report-summary' }, h('p', { class: 'muted' }, 'Still running…'));
  }
  const checked = listed(report.checked);
  const drifted = listed(report.drifted);
  const fixed = listed(report.fixed);
  const skippedRoles = (report.checked?.rolesSkipped ?? 0) > 0;
  return h(
    'div',
    { class: 'report-summary' },
    h(
      'p',
      {},
      checked.length > 0
        ? `Checked ${checked.filter((c) => !/skipped/.test(c)).join(', ')}.`
        : 'Nothing to check yet.',
      skippedRoles
        ? ' Discord roles were not checked (no Discord connection in that process).'
        : '',
    ),
    drifted.length === 0
      ? h('p', { class: 'status-completed', 'data-drift': '0' }, 'No drift: everything matched.')
      : h(
          'p',
          { class: 'drift', 'data-drift': drifted.length },
          `Drift found: ${drifted.join(', ')}.`,
        ),
    fixed.length > 0 ? h('p', {}, `Repaired ${fixed.join(', ')}.`) : null,
    report.error ? h('p', { class: 'drift' }, `The run stopped: ${report.error}`) : null,
  );
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
            { title: 'Started', cell: (r) => timeAgo(r.startedAt) },
            {
              title: 'Status',
              cell: (r) => h('span', { class: `status-${r.status}` }, statusWord(r.status)),
            },
            { title: 'Report', cell: summary },
            { title: 'Run', cell: (r) => sourceWord(r.trigger), narrowHidden: true },
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
        .then(() => {
          fill(message, notice('Started a reconcile run; its report appears below.'));
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
