import { errorMessage, notice } from '../components/status';
import { telegramLoginButton } from '../components/telegram-login';
import { h } from '../dom';
import { gql, GraphqlError } from '../graphql-client';
import { Page } from '../router';
import { session } from '../session';

/** The cheapest admin query: it tells a valid token from a wrong one. */
const CHECK_ADMIN = `{ syncStats(windowMinutes: 1) { windowMinutes } }`;

function adminForm(done: () => void): HTMLElement {
  const input = h('input', {
    type: 'password',
    name: 'adminToken',
    id: 'admin-token',
    autocomplete: 'current-password',
    required: true,
  });
  const message = h('div', { class: 'form-message' });
  const button = h('button', { type: 'submit' }, 'Sign in');
  const form = h(
    'form',
    { class: 'card', id: 'admin-sign-in' },
    h('h2', {}, 'Admin'),
    h('label', { for: 'admin-token' }, 'Admin token (ADMIN_TOKEN)'),
    input,
    button,
    message,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) return;
    button.disabled = true;
    message.replaceChildren(notice('Checking…'));
    gql(CHECK_ADMIN, {}, { token })
      .then(() => {
        session.signInAdmin(token);
        done();
      })
      .catch((error: unknown) => {
        const refused = error instanceof GraphqlError && error.code === 'UNAUTHENTICATED';
        message.replaceChildren(
          notice(refused ? 'This admin token was refused.' : errorMessage(error), 'error'),
        );
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  return form;
}

export const signInPage: Page = {
  path: '/sign-in',
  title: 'Sign in',
  access: 'public',
  render(context) {
    const pending = session.takeNotice();
    context.root.append(
      h('h1', {}, 'Sign in'),
      pending ? notice(pending, 'error') : h('span'),
      h(
        'div',
        { class: 'columns' },
        adminForm(() => context.navigate('/')),
        h(
          'section',
          { class: 'card', id: 'player-sign-in' },
          h('h2', {}, 'Player'),
          h('p', {}, 'Sign in with Telegram to see your profile and link your Discord account.'),
          telegramLoginButton(context, () => context.navigate('/me')),
        ),
      ),
    );
  },
};
