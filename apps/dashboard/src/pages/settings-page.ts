import { liveView } from '../components/live-view';
import { errorMessage } from '../components/status';
import { table } from '../components/table';
import { xpRulesSection } from '../components/xp-rules-section';
import { h } from '../dom';
import { gql } from '../graphql-client';
import { Page } from '../router';

const SETTINGS = `{
  ranks { id nameEn minXp } achievements { code nameEn }
  rankRoles { key discordRoleId } achievementRoles { key discordRoleId }
}`;
const SET_RANK = `mutation SetRank($key: Int!, $roleId: String) {
  setRankRole(rankId: $key, role: { discordRoleId: $roleId }) { resynced } }`;
const SET_ACHIEVEMENT = `mutation SetAchievement($key: String!, $roleId: String) {
  setAchievementRole(code: $key, role: { discordRoleId: $roleId }) { resynced } }`;

interface Data {
  ranks: { id: number; nameEn: string; minXp: number }[];
  achievements: { code: string; nameEn: string }[];
  rankRoles: { key: string; discordRoleId: string | null }[];
  achievementRoles: { key: string; discordRoleId: string | null }[];
}

/** The server's rule (RoleIdInput): a Discord snowflake, 17-20 digits; empty removes it. */
export const SNOWFLAKE = /^\d{17,20}$/;

/**
 * One mapping's role id, saved on its own. Checked in the form before anything is sent; the
 * server checks again and its refusal (e.g. ROLE_ALREADY_MAPPED) shows on the same line.
 */
function roleEditor(
  kind: 'rank' | 'achievement',
  key: string,
  current: string | null,
): HTMLElement {
  const id = `role-${kind}-${key}`;
  const input = h('input', {
    id,
    name: id,
    value: current ?? '',
    inputmode: 'numeric',
    placeholder: 'no role',
    'aria-describedby': `${id}-msg`,
    'data-saved': current ?? '',
    size: 20,
  });
  const message = h('p', { class: 'field-error', id: `${id}-msg` });
  const save = h('button', { type: 'submit', class: 'secondary' }, 'Save');
  const form = h(
    'form',
    { class: 'role-form', 'data-key': key, novalidate: true },
    input,
    save,
    message,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (value && !SNOWFLAKE.test(value)) {
      input.setAttribute('aria-invalid', 'true');
      message.className = 'field-error';
      message.textContent = 'A Discord role id is 17 to 20 digits (empty removes the role).';
      return;
    }
    input.removeAttribute('aria-invalid');
    save.disabled = true;
    message.className = 'muted';
    message.textContent = 'Saving…';
    gql<{ setRankRole?: { resynced: number }; setAchievementRole?: { resynced: number } }>(
      kind === 'rank' ? SET_RANK : SET_ACHIEVEMENT,
      { key: kind === 'rank' ? Number(key) : key, roleId: value || null },
    )
      .then((answer) => {
        const resynced = (answer.setRankRole ?? answer.setAchievementRole)?.resynced ?? 0;
        input.dataset.saved = value;
        message.className = 'notice ok';
        message.textContent = `Saved; ${resynced} member${resynced === 1 ? '' : 's'} re-syncing.`;
      })
      .catch((error: unknown) => {
        input.setAttribute('aria-invalid', 'true');
        message.className = 'field-error';
        message.textContent = errorMessage(error);
      })
      .finally(() => {
        save.disabled = false;
      });
  });
  return form;
}

export const settingsPage: Page = {
  path: '/settings',
  title: 'Settings',
  access: 'admin',
  render(context) {
    // Loaded once: a refresh would overwrite what the admin is typing.
    const view = liveView(context, {
      load: () => gql<Data>(SETTINGS),
      render: (data) => {
        const rankRole = new Map(data.rankRoles.map((m) => [m.key, m.discordRoleId]));
        const achievementRole = new Map(data.achievementRoles.map((m) => [m.key, m.discordRoleId]));
        return [
          h(
            'section',
            { class: 'card', id: 'rank-roles' },
            h('h2', {}, 'Rank roles'),
            table(
              [
                { title: 'rank', cell: (r) => `${r.id}. ${r.nameEn}` },
                { title: 'from XP', cell: (r) => String(r.minXp), narrowHidden: true },
                {
                  title: 'Discord role id',
                  cell: (r) => roleEditor('rank', String(r.id), rankRole.get(String(r.id)) ?? null),
                },
              ],
              data.ranks,
            ),
          ),
          h(
            'section',
            { class: 'card', id: 'achievement-roles' },
            h('h2', {}, 'Achievement roles'),
            table(
              [
                { title: 'achievement', cell: (a) => `${a.nameEn} (${a.code})` },
                {
                  title: 'Discord role id',
                  cell: (a) =>
                    roleEditor('achievement', a.code, achievementRole.get(a.code) ?? null),
                },
              ],
              data.achievements,
            ),
          ),
        ];
      },
    });
    context.root.append(
      h('h1', {}, 'Settings'),
      h(
        'p',
        { class: 'muted' },
        'Changing a mapping re-syncs every member holding that rank or achievement; the old role is taken back.',
      ),
      view.element,
      xpRulesSection(),
    );
  },
};
