import { h } from '../dom';
import { Page } from '../router';
import { session } from '../session';

/** For an unknown path, or a page this viewer may not open. */
export function notAllowedPage(path: string, known: boolean): Page {
  return {
    path,
    title: known ? 'Sign in needed' : 'Not found',
    access: 'public',
    render(context) {
      context.root.append(
        h('h1', {}, known ? 'Sign in needed' : 'Not found'),
        h(
          'p',
          {},
          known
            ? session.role() === 'guest'
              ? 'This page is for signed-in admins or players. '
              : 'Your session cannot open this page. '
            : `Nothing lives at ${path}. `,
          h('a', { href: '/sign-in', 'data-link': true }, 'Sign in'),
          ' or see the ',
          h('a', { href: '/leaderboard', 'data-link': true }, 'leaderboard'),
          '.',
        ),
      );
    },
  };
}
