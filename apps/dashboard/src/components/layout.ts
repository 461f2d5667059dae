import { h } from '../dom';
import { canOpen, Page } from '../router';
import { session } from '../session';

/** The header: the pages this viewer may open, and who is signed in. */
export function header(pages: Page[], current: Page): HTMLElement {
  const role = session.role();
  const links = pages
    .filter((page) => page.path !== '/sign-in' && canOpen(page, role))
    .map((page) =>
      h(
        'a',
        {
          href: page.path,
          'data-link': true,
          'aria-current': page === current ? 'page' : null,
        },
        page.title,
      ),
    );
  const who =
    role === 'guest'
      ? h('a', { href: '/sign-in', 'data-link': true, class: 'sign-in-link' }, 'Sign in')
      : h(
          'span',
          { class: 'who' },
          h('span', { class: 'badge' }, role),
          h(
            'button',
            { type: 'button', class: 'link', onclick: () => session.signOut() },
            'Sign out',
          ),
        );
  // On a phone the pages fold behind one button (CSS shows the toggle under 600 px only).
  const nav = h('nav', { id: 'main-menu', 'aria-label': 'Pages' }, links);
  const toggle = h(
    'button',
    {
      type: 'button',
      class: 'menu-toggle',
      'aria-controls': 'main-menu',
      'aria-expanded': 'false',
    },
    current.title,
    ' ▾',
  );
  const bar = h(
    'header',
    { class: 'top' },
    h('a', { href: '/', 'data-link': true, class: 'brand' }, 'TTFD Sync'),
    toggle,
    nav,
    who,
  );
  toggle.addEventListener('click', () => {
    const open = bar.classList.toggle('menu-open');
    toggle.setAttribute('aria-expanded', String(open));
  });
  return bar;
}
