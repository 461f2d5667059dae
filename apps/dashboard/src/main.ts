import './styles.css';
import { header } from './components/layout';
import { leaderboardPage } from './pages/leaderboard-page';
import { myProfilePage } from './pages/my-profile-page';
import { overviewPage } from './pages/overview-page';
import { playerPage } from './pages/player-page';
import { reconcilePage } from './pages/reconcile-page';
import { settingsPage } from './pages/settings-page';
import { syncEventsPage } from './pages/sync-events-page';
import { notAllowedPage } from './pages/not-allowed-page';
import { signInPage } from './pages/sign-in-page';
import { Page, Router } from './router';
import { session } from './session';

const pages: Page[] = [
  overviewPage,
  syncEventsPage,
  reconcilePage,
  leaderboardPage,
  playerPage,
  settingsPage,
  myProfilePage,
  signInPage,
];

const app = document.getElementById('app');
if (!app) throw new Error('#app is missing from index.html');

const router = new Router(
  pages,
  (path) => {
    // A guest landing on `/` wants to sign in; elsewhere say what is missing.
    if (path === '/' && session.role() === 'guest') return signInPage;
    if (path === '/' && session.role() === 'player')
      return pages.find((p) => p.path === '/me') ?? signInPage;
    return notAllowedPage(
      path,
      pages.some((page) => page.path === path),
    );
  },
  (page, body) => app.replaceChildren(header(pages, page), body),
);
router.render();
