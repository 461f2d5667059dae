import { h, fill } from '../dom';
import { gql } from '../graphql-client';
import { PageContext } from '../router';
import { session } from '../session';
import { errorBox, loading, notice } from './status';

/** What the Telegram Login Widget hands to its callback. */
export interface TelegramUser {
  id: number | string;
  first_name?: string;
  last_name?: string;
  username?: string;
  photo_url?: string;
  auth_date: number;
  hash: string;
}

declare global {
  interface Window {
    /** The widget calls this by name (`data-onauth`). Tests call it with data they signed. */
    onTelegramAuth?: (user: TelegramUser) => void;
  }
}

const WIDGET_SRC = 'https://telegram.org/js/telegram-widget.js?22';
const LOGIN = `mutation Login($input: TelegramLoginInput!) {
  loginWithTelegram(input: $input) { token accountId }
}`;

/** Sends the widget's data unchanged (only the fields it signs: the input is strict). */
async function login(user: TelegramUser): Promise<void> {
  const input = {
    id: String(user.id),
    first_name: user.first_name,
    last_name: user.last_name,
    username: user.username,
    photo_url: user.photo_url,
    auth_date: Number(user.auth_date),
    hash: user.hash,
  };
  const answer = await gql<{ loginWithTelegram: { token: string } }>(
    LOGIN,
    { input },
    { token: null },
  );
  session.signInPlayer(answer.loginWithTelegram.token);
}

/**
 * The Telegram Login Widget: the one script this dashboard loads from the internet. Its callback
 * is installed before the script is asked for, and the rest of the page never waits on it, so
 * admin sign-in and the public pages work when telegram.org cannot be reached.
 */
export function telegramLoginButton(context: PageContext, done: () => void): HTMLElement {
  const box = h('div', { class: 'telegram-login' }, loading('Preparing Telegram login…'));
  const status = h('div', { class: 'form-message' });

  window.onTelegramAuth = (user) => {
    status.replaceChildren(notice('Signing in…'));
    login(user)
      .then(done)
      .catch((error: unknown) => status.replaceChildren(errorBox(error)));
  };
  context.onLeave(() => {
    delete window.onTelegramAuth;
  });

  gql<{ loginOptions: { telegramBot: string | null } }>(`{ loginOptions { telegramBot } }`)
    .then(({ loginOptions }) => {
      if (!loginOptions.telegramBot) {
        fill(
          box,
          notice(
            'Player sign-in is not set up on this server (it needs TELEGRAM_BOT_TOKEN).',
            'error',
          ),
        );
        return;
      }
      const script = h('script', {
        async: true,
        src: WIDGET_SRC,
        'data-telegram-login': loginOptions.telegramBot,
        'data-size': 'large',
        'data-request-access': 'write',
        'data-onauth': 'onTelegramAuth(user)',
      });
      // The failed script stays in place (it names the bot, which helps whoever debugs this).
      script.addEventListener('error', () =>
        box.append(notice('The Telegram login button could not load from telegram.org.', 'error')),
      );
      fill(box, script);
    })
    .catch((error: unknown) => fill(box, errorBox(error)));

  return h('div', {}, box, status);
}
