import { fill, h } from '../dom';
import { PageContext } from '../router';
import { errorBox, loading } from './status';

export interface LiveViewOptions<T> {
  load: () => Promise<T>;
  render: (data: T) => Node | (Node | null)[];
  /** Refresh period; 0 loads once (and on `refresh()`). */
  everyMs?: number;
  loadingText?: string;
}

/**
 * A block of a page that loads data, shows it, and refreshes it in place without a reload.
 * Loading shows only the first time; a failed refresh keeps the last data under an error line,
 * so a blip does not blank the screen. Refreshes never overlap.
 */
export function liveView<T>(
  context: PageContext,
  options: LiveViewOptions<T>,
): { element: HTMLElement; refresh: () => Promise<void> } {
  const problem = h('div', { class: 'live-problem' });
  const content = h('div', { class: 'live-content' }, loading(options.loadingText));
  const element = h('div', { class: 'live-view', 'aria-live': 'polite' }, problem, content);
  let loaded = false;
  let running: Promise<void> | null = null;
  let left = false;

  const run = async () => {
    try {
      const data = await options.load();
      if (left) return;
      fill(problem);
      fill(content, options.render(data));
      loaded = true;
      element.dataset.loadedAt = String(Date.now());
    } catch (error) {
      if (left) return;
      const retry = () => void refresh();
      if (loaded) fill(problem, errorBox(error, retry));
      else fill(content, errorBox(error, retry));
    }
  };
  const refresh = (): Promise<void> => {
    running ??= run().finally(() => {
      running = null;
    });
    return running;
  };

  void refresh();
  if (options.everyMs) {
    const timer = window.setInterval(() => void refresh(), options.everyMs);
    context.onLeave(() => window.clearInterval(timer));
  }
  context.onLeave(() => {
    left = true;
  });
  return { element, refresh };
}
