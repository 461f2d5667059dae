import { liveView } from '../components/live-view';
import { playerSettingsSection } from '../components/player-settings-section';
import { errorBox, notice } from '../components/status';
import { fill, formatInt, formatTime, h } from '../dom';
import { gql } from '../graphql-client';
import { Page } from '../router';
import { platformWord } from '../words';

const ME = `{ me {
  accountId xp coins rank { nameEn } nextRank { nameEn minXp }
  progress { xpIntoRank xpForNextRank percent } achievements { code nameEn unlockedAt }
  season { place xp } identities { platform externalId username displayName } } }`;

interface Me {
  accountId: string;
  xp: number;
  coins: number | null;
  rank: { nameEn: string };
  nextRank: { nameEn: string; minXp: number } | null;
  progress: { xpIntoRank: number; xpForNextRank: number; percent: number };
  achievements: { code: string; nameEn: string; unlockedAt: string }[];
  season: { place: number; xp: number } | null;
  identities: { platform: string; externalId: string; username: string | null }[] | null;
}

/** Linking from the page: a code for Discord's /link, or redeeming one the Discord bot gave. */
function linking(me: Me, reload: () => Promise<void>): HTMLElement {
  const hasDiscord = (me.identities ?? []).some((i) => i.platform === 'discord');
  const message = h('div', { class: 'form-message', id: 'link-message' });
  if (hasDiscord) {
    const unlink = h(
      'button',
      { type: 'button', class: 'secondary', id: 'unlink' },
      'Unlink Discord',
    );
    unlink.addEventListener('click', () => {
      if (
        !window.confirm('Unlink Discord? Your Discord account starts over with an empty profile.')
      )
        return;
      gql(`mutation { unlink { telegramAccountId } }`)
        .then(() => reload())
        .catch((error: unknown) => fill(message, errorBox(error)));
    });
    return h(
      'section',
      { class: 'card', id: 'linking' },
      h('h2', {}, 'Discord'),
      h('p', {}, 'Your Discord account is linked.'),
      unlink,
      message,
    );
  }
  const create = h('button', { type: 'button', id: 'create-link-code' }, 'Get a link code');
  create.addEventListener('click', () => {
    gql<{ createLinkCode: { code: string; expiresAt: string } }>(
      `mutation { createLinkCode { code expiresAt } }`,
    )
      .then(({ createLinkCode }) =>
        fill(
          message,
          h(
            'p',
            {},
            'In Discord, send ',
            h('code', { id: 'link-code' }, `/link ${createLinkCode.code}`),
            ` before ${formatTime(createLinkCode.expiresAt)}.`,
          ),
        ),
      )
      .catch((error: unknown) => fill(message, errorBox(error)));
  });
  const code = h('input', {
    id: 'redeem-code',
    name: 'code',
    placeholder: 'ABCD-1234',
    required: true,
    size: 12,
  });
  const redeem = h(
    'form',
    { class: 'form-row', id: 'redeem-form' },
    h('div', {}, h('label', { for: 'redeem-code' }, 'Or a code from the Discord bot'), code),
    h('button', { type: 'submit', class: 'secondary' }, 'Link'),
  );
  redeem.addEventListener('submit', (event) => {
    event.preventDefault();
    gql(`mutation R($code: String!) { redeemLinkCode(code: $code) { accountId } }`, {
      code: code.value.trim(),
    })
      .then(() => reload())
      .catch((error: unknown) => fill(message, errorBox(error)));
  });
  return h(
    'section',
    { class: 'card', id: 'linking' },
    h('h2', {}, 'Link Discord'),
    h('div', { class: 'actions' }, create),
    redeem,
    message,
  );
}

export const myProfilePage: Page = {
  path: '/me',
  title: 'My profile',
  access: 'player',
  render(context) {
    const view: { refresh: () => Promise<void>; element: HTMLElement } = liveView(context, {
      load: async () => (await gql<{ me: Me }>(ME)).me,
      render: (me) => [
        h(
          'section',
          { class: 'card', id: 'my-profile', 'data-account-id': me.accountId },
          h('h2', {}, `${me.rank.nameEn}`),
          h(
            'dl',
            { class: 'facts' },
            h('dt', {}, 'XP'),
            h('dd', { 'data-field': 'xp' }, formatInt(me.xp)),
            h('dt', {}, 'Coins'),
            h('dd', { 'data-field': 'coins' }, me.coins === null ? '–' : formatInt(me.coins)),
            h('dt', {}, 'Next rank'),
            h(
              'dd',
              {},
              me.nextRank
                ? `${me.nextRank.nameEn}: ${formatInt(me.progress.xpIntoRank)} / ${formatInt(me.progress.xpForNextRank)} XP`
                : 'Top rank reached',
            ),
            h('dt', {}, 'This season'),
            h(
              'dd',
              {},
              me.season
                ? h(
                    'a',
                    { href: '/leaderboard', 'data-link': true },
                    `Place ${formatInt(me.season.place)}, ${formatInt(me.season.xp)} XP`,
                  )
                : 'No XP yet this season',
            ),
            h('dt', {}, 'Achievements'),
            h('dd', {}, me.achievements.map((a) => a.nameEn).join(', ') || 'None yet'),
            h('dt', {}, 'Accounts'),
            h(
              'dd',
              { 'data-field': 'identities' },
              (me.identities ?? [])
                .map((i) => `${platformWord(i.platform)}${i.username ? ` @${i.username}` : ''}`)
                .join(' · '),
            ),
          ),
          h(
            'div',
            {
              class: 'progress',
              role: 'progressbar',
              'aria-valuenow': me.progress.percent,
              'aria-valuemin': 0,
              'aria-valuemax': 100,
            },
            h('div', { style: `width: ${me.progress.percent}%` }),
          ),
        ),
        linking(me, () => view.refresh()),
      ],
      everyMs: 10_000,
    });
    context.root.append(
      h('h1', {}, 'My profile'),
      notice('Signed in with Telegram.'),
      view.element,
      playerSettingsSection(),
    );
  },
};
