import { fill, h } from '../dom';
import { gql } from '../graphql-client';
import { errorBox, loading, notice } from './status';

const SETTINGS = `query MySettings { mySettings { dmOptOut leaderboardHidden } }`;
const UPDATE = `mutation UpdateMySettings($input: PlayerSettingsInput!) {
  updateMySettings(input: $input) { dmOptOut leaderboardHidden } }`;

interface Settings {
  dmOptOut: boolean;
  leaderboardHidden: boolean;
}

/**
 * The player's own switches on their page, the same as /settings in either bot: direct
 * messages (the roles still follow when off) and the name on public leaderboards.
 */
export function playerSettingsSection(): HTMLElement {
  const body = h('div', {}, loading());
  const message = h('div', { class: 'form-message', 'aria-live': 'polite' });
  const draw = (settings: Settings) => {
    const dm = h('input', { type: 'checkbox', id: 'setting-dm', checked: !settings.dmOptOut });
    const shown = h('input', {
      type: 'checkbox',
      id: 'setting-top',
      checked: !settings.leaderboardHidden,
    });
    const save = (input: Partial<Settings>) => {
      gql<{ updateMySettings: Settings }>(UPDATE, { input })
        .then(({ updateMySettings }) => {
          draw(updateMySettings);
          fill(message, notice('Saved.'));
        })
        .catch((error: unknown) => fill(message, errorBox(error)));
    };
    dm.addEventListener('change', () => save({ dmOptOut: !dm.checked }));
    shown.addEventListener('change', () => save({ leaderboardHidden: !shown.checked }));
    fill(
      body,
      h(
        'p',
        {},
        h(
          'label',
          { for: 'setting-dm' },
          dm,
          ' Direct messages from the bots (your roles update either way)',
        ),
      ),
      h(
        'p',
        {},
        h(
          'label',
          { for: 'setting-top' },
          shown,
          ' Show my name on leaderboards (hidden: "Hidden player", same place)',
        ),
      ),
    );
  };
  gql<{ mySettings: Settings }>(SETTINGS)
    .then(({ mySettings }) => draw(mySettings))
    .catch((error: unknown) => fill(body, errorBox(error)));
  return h('section', { class: 'card', id: 'my-settings' }, h('h2', {}, 'Settings'), body, message);
}
