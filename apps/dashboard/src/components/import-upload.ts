import { h, fill } from '../dom';
import { session } from '../session';

/** What GET /admin/imports/{id} answers (the parts shown here). */
interface ImportRunView {
  id: string;
  status: 'queued' | 'running' | 'completed' | 'failed' | 'reverted';
  progress: { done: number; total: number };
  report: { summary: string } | null;
  error: string | null;
}

/** The route's own cap (50 MB): refused here before a byte is sent. */
const MAX_BYTES = 50 * 1024 * 1024;

async function call<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(path, {
    ...init,
    headers: { authorization: `Bearer ${session.bearer() ?? ''}` },
  });
  const body = (await res.json().catch(() => ({}))) as T;
  return { status: res.status, body };
}

/**
 * The admin's upload of a MEE6 leaderboard JSON or an import CSV (docs/imports.md): sent to
 * `POST /admin/imports`, then the run's progress polled until its report. A refused file shows
 * the server's message (it names the line or index and the field); nothing was written.
 */
export function importUpload(onLeave: (cleanup: () => void) => void): HTMLElement {
  const source = h(
    'select',
    { id: 'import-source', name: 'source' },
    h('option', { value: 'mee6' }, 'MEE6 leaderboard (JSON)'),
    h('option', { value: 'csv' }, 'CSV (platform,external_id,display_name,xp,coins)'),
  );
  const file = h('input', { id: 'import-file', name: 'file', type: 'file', accept: '.json,.csv' });
  const dryRun = h('input', { id: 'import-dry-run', type: 'checkbox', checked: true });
  const rewards = h('input', { id: 'import-role-rewards', type: 'checkbox' });
  const submit = h('button', { type: 'submit' }, 'Upload');
  const status = h('div', { id: 'import-status', 'aria-live': 'polite' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  onLeave(() => clearTimeout(timer));

  const show = (kind: 'ok' | 'error' | 'muted', text: string, done = 0, total = 0) => {
    const bar =
      total > 0
        ? h(
            'div',
            { class: 'progress' },
            h('div', { style: `width: ${Math.round((done / total) * 100)}%` }),
          )
        : null;
    fill(status, h('p', { class: kind === 'muted' ? 'muted' : `notice ${kind}` }, text), bar);
  };

  const poll = (id: string) => {
    call<ImportRunView>(`/admin/imports/${id}`)
      .then(({ body }) => {
        if (body.status === 'completed') show('ok', body.report?.summary ?? 'Imported.');
        else if (body.status === 'failed') show('error', body.error ?? 'The import failed.');
        else {
          show(
            'muted',
            `Run ${id}: ${body.progress.done} of ${body.progress.total} players…`,
            body.progress.done,
            body.progress.total,
          );
          timer = setTimeout(() => poll(id), 1_000);
        }
      })
      .catch((error: unknown) => show('error', String(error)));
  };

  const form = h(
    'form',
    { id: 'import-form', class: 'actions', novalidate: true },
    h('label', { for: 'import-source' }, 'Source '),
    source,
    file,
    h('label', {}, dryRun, ' dry run (report only)'),
    h('label', {}, rewards, ' apply MEE6 role rewards'),
    submit,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) return show('error', 'Choose a file first.');
    if (chosen.size > MAX_BYTES) return show('error', 'A file of at most 50 MB can be uploaded.');
    const data = new FormData();
    data.append('source', source.value);
    data.append('dryRun', String(dryRun.checked));
    data.append('applyRoleRewards', String(rewards.checked));
    data.append('file', chosen);
    submit.disabled = true;
    show('muted', 'Uploading and checking…');
    call<{ id: string | null; report?: { summary: string }; message?: string }>('/admin/imports', {
      method: 'POST',
      body: data,
    })
      .then(({ status: code, body }) => {
        if (code === 200) show('ok', `Dry run: ${body.report?.summary ?? ''} Nothing was written.`);
        else if (code === 202 && body.id) poll(body.id);
        else show('error', body.message ?? `Refused (HTTP ${code}).`);
      })
      .catch((error: unknown) => show('error', String(error)))
      .finally(() => (submit.disabled = false));
  });

  return h(
    'section',
    { class: 'card', id: 'imports' },
    h('h2', {}, 'Import players'),
    h(
      'p',
      { class: 'muted' },
      'Bring players over from MEE6 or a CSV file: validated whole before anything is written, imported once (a second upload changes nothing), no notifications. See docs/imports.md.',
    ),
    form,
    status,
  );
}
