import { h } from '../dom';
import { GraphqlError } from '../graphql-client';

export function loading(what = 'Loading…'): HTMLElement {
  return h('p', { class: 'loading', role: 'status' }, what);
}

export function errorMessage(error: unknown): string {
  if (error instanceof GraphqlError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}

export function errorBox(error: unknown, retry?: () => void): HTMLElement {
  return h(
    'div',
    { class: 'error', role: 'alert' },
    h('span', {}, errorMessage(error)),
    retry ? h('button', { type: 'button', onclick: () => retry() }, 'Retry') : null,
  );
}

export function notice(text: string, kind: 'ok' | 'error' = 'ok'): HTMLElement {
  return h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}
