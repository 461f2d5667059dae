import { session, Role } from './session';

export interface PageContext {
  /** Where the page draws. */
  root: HTMLElement;
  params: URLSearchParams;
  /** Runs when the page is left (stops its refresh timers). */
  onLeave(cleanup: () => void): void;
  navigate(path: string): void;
}

export interface Page {
  path: string;
  title: string;
  /** Who sees it in the menu and may open it; others get the sign-in page. */
  access: 'public' | 'admin' | 'player';
  render(context: PageContext): void;
}

export function canOpen(page: Page, role: Role): boolean {
  return page.access === 'public' || page.access === role;
}

/**
 * A History API router: real paths (/events?status=failed), which the server answers with
 * index.html, so links can be shared and reloaded. One page at a time; leaving runs its cleanups.
 */
export class Router {
  private cleanups: (() => void)[] = [];

  constructor(
    private readonly pages: Page[],
    private readonly fallback: (path: string) => Page,
    private readonly show: (page: Page, body: HTMLElement) => void,
  ) {
    window.addEventListener('popstate', () => this.render());
    // Same-origin links navigate in place; modified clicks keep the browser's behaviour.
    document.addEventListener('click', (event) => {
      const link = (event.target as Element | null)?.closest?.('a[data-link]');
      if (!(link instanceof HTMLAnchorElement) || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      this.navigate(link.getAttribute('href') ?? '/');
    });
    session.onChange(() => this.render());
  }

  navigate(path: string): void {
    if (path !== location.pathname + location.search) history.pushState(null, '', path);
    this.render();
  }

  /** Replaces the query string without a history entry or a re-render (filters). */
  replaceParams(params: URLSearchParams): void {
    const query = params.toString();
    history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}`);
  }

  render(): void {
    this.cleanups.forEach((cleanup) => cleanup());
    this.cleanups = [];
    const found = this.pages.find((page) => page.path === location.pathname);
    const page = found && canOpen(found, session.role()) ? found : this.fallback(location.pathname);
    const body = document.createElement('main');
    body.id = 'page';
    this.show(page, body);
    document.title = `${page.title} · TTFD Sync`;
    page.render({
      root: body,
      params: new URLSearchParams(location.search),
      onLeave: (cleanup) => this.cleanups.push(cleanup),
      navigate: (path) => this.navigate(path),
    });
  }
}
