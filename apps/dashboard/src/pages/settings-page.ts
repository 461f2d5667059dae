import { importUpload } from '../components/import-upload';
import { liveView } from '../components/live-view';
import { errorMessage } from '../components/status';
import { table } from '../components/table';
import { xpRulesSection } from '../components/xp-rules-section';
import { formatInt, h, num } from '../dom';
import { gql } from '../graphql-client';
import { Page } from '../router';

const SETTINGS = `query Settings {
  ranks { id nameEn minXp } achievements { code nameEn descriptionEn }
  rankRoles { key discordRoleId } achievementRoles { key discordRoleId }
  guildRoles { roles { id name color position managed } botTopPosition unavailableReason }
}`;
const SET_RANK = `mutation SetRank($key: Int!, $roleId: String) {
  setRankRole(rankId: $key, role: { discordRoleId: $roleId }) { resynced warnings } }`;
const SET_ACHIEVEMENT = `mutation SetAchievement($key: String!, $roleId: String) {
  setAchievementRole(code: $key, role: { discordRoleId: $roleId }) { resynced warnings } }`;

interface GuildRole {
  id: string;
  name: string;
  color: string | null;
  position: number;
  managed: boolean;
}
interface GuildRoles {
  roles: GuildRole[];
  botTopPosition: number | null;
  unavailableReason: string | null;
}
interface Data {
  ranks: { id: number; nameEn: string; minXp: number }[];
  achievements: { code: string; nameEn: string; descriptionEn: string }[];
  rankRoles: { key: string; discordRoleId: string | null }[];
  achievementRoles: { key: string; discordRoleId: string | null }[];
  guildRoles: GuildRoles;
}

/** The server's rule (RoleIdInput): a Discord snowflake, 17-20 digits; empty removes it. */
export const SNOWFLAKE = /^\d{17,20}$/;

/**
 * Why Discord would refuse to hand out this role, in words that say what to do; null when it
 * can. A role at or above the bot's highest role is refused by Discord (50013).
 */
export function roleProblem(roleId: string | null, guild: GuildRoles, what: string): string | null {
  if (!roleId || guild.unavailableReason) return null;
  const role = guild.roles.find((r) => r.id === roleId);
  if (!role) {
    return `The role mapped to ${what} no longer exists in the Discord server: pick another.`;
  }
  if (role.managed) {
    return `“${role.name}” is managed by an integration: nobody can hand it out. Pick another role.`;
  }
  if (guild.botTopPosition !== null && role.position >= guild.botTopPosition) {
    const bot = guild.roles.find((r) => r.position === guild.botTopPosition);
    return `“${role.name}” is above the bot's highest role${bot ? ` (“${bot.name}”)` : ''}, so Discord will refuse it: move the bot's role above “${role.name}” in Server Settings → Roles.`;
  }
  return null;
}

function swatch(color: string | null): HTMLElement {
  return h('span', { class: 'swatch', style: `background: ${color ?? '#99aab5'}` });
}

/** A role by name and colour (the id for the curious, on hover). */
export function roleLabel(roleId: string, guild: GuildRoles | null): HTMLElement {
  const role = guild?.roles.find((r) => r.id === roleId);
  return role
    ? h('span', { class: 'role-name', title: `role id ${role.id}` }, swatch(role.color), role.name)
    : h('span', { class: 'role-name', title: `role id ${roleId}` }, `Unknown role ${roleId}`);
}

/**
 * One mapping's role, saved on its own. With the guild's roles: a picker by name and colour,
 * with a warning when Discord would refuse the role. Without them (Discord not configured here,
 * or not answering): a role id, checked in the form before anything is sent. The server checks
 * again and its refusal (e.g. ROLE_ALREADY_MAPPED) shows on the same line.
 */
function roleEditor(
  kind: 'rank' | 'achievement',
  key: string,
  what: string,
  current: string | null,
  guild: GuildRoles,
): HTMLElement {
  const id = `role-${kind}-${key}`;
  const picking = !guild.unavailableReason;
  const control = picking
    ? h(
        'select',
        { id, name: id, 'aria-describedby': `${id}-msg`, 'aria-label': `Discord role for ${what}` },
        h('option', { value: '', selected: !current }, 'No role'),
        current && !guild.roles.some((r) => r.id === current)
          ? h('option', { value: current, selected: true }, 'A deleted role')
          : null,
        guild.roles.map((role) =>
          h(
            'option',
            { value: role.id, selected: role.id === current, disabled: role.managed },
            role.name,
          ),
        ),
      )
    : h('input', {
        id,
        name: id,
        value: current ?? '',
        inputmode: 'numeric',
        placeholder: 'no role',
        'aria-describedby': `${id}-msg`,
        'aria-label': `Discord role id for ${what}`,
        size: 20,
      });
  control.dataset.saved = current ?? '';
  const preview = h('span', {});
  const message = h('p', { class: 'field-error', id: `${id}-msg` });
  const warning = h('p', { class: 'warning', hidden: true });
  const showWarning = (roleId: string | null) => {
    const problem = roleProblem(roleId, guild, what);
    warning.hidden = !problem;
    warning.textContent = problem ?? '';
    const role = guild.roles.find((r) => r.id === roleId);
    preview.replaceChildren(role ? swatch(role.color) : '');
  };
  showWarning(current);
  control.addEventListener('change', () => showWarning(control.value || null));
  const save = h('button', { type: 'submit', class: 'secondary' }, 'Save');
  const form = h(
    'form',
    { class: 'role-form', 'data-key': key, novalidate: true },
    picking ? preview : null,
    control,
    save,
    warning,
    message,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = control.value.trim();
    if (value && !SNOWFLAKE.test(value)) {
      control.setAttribute('aria-invalid', 'true');
      message.className = 'field-error';
      message.textContent = 'A Discord role id is 17 to 20 digits (empty removes the role).';
      return;
    }
    control.removeAttribute('aria-invalid');
    save.disabled = true;
    message.className = 'muted';
    message.textContent = 'Saving…';
    type Change = { resynced: number; warnings: string[] };
    gql<{ setRankRole?: Change; setAchievementRole?: Change }>(
      kind === 'rank' ? SET_RANK : SET_ACHIEVEMENT,
      { key: kind === 'rank' ? Number(key) : key, roleId: value || null },
    )
      .then((answer) => {
        const change = answer.setRankRole ?? answer.setAchievementRole;
        const resynced = change?.resynced ?? 0;
        control.dataset.saved = value;
        message.className = 'notice ok';
        message.textContent = [
          `Saved; ${resynced} member${resynced === 1 ? '' : 's'} re-syncing.`,
          ...(change?.warnings ?? []),
        ].join(' ');
      })
      .catch((error: unknown) => {
        control.setAttribute('aria-invalid', 'true');
        message.className = 'field-error';
        message.textContent = errorMessage(error);
      })
      .finally(() => {
        save.disabled = false;
      });
  });
  return form;
}

/**
 * Admin settings, in sections. Each section is a function of the loaded data; other settings
 * (imports, XP rules) add their own section components below these.
 */
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
        const guild = data.guildRoles;
        return [
          guild.unavailableReason
            ? h(
                'p',
                { class: 'warning', id: 'guild-roles-unavailable' },
                `The server's roles could not be listed (${guild.unavailableReason}); type role ids instead (Discord: Server Settings → Roles → right-click a role → Copy Role ID).`,
              )
            : null,
          h(
            'section',
            { class: 'card', id: 'rank-roles' },
            h('h2', {}, 'Rank roles'),
            table(
              [
                { title: 'Rank', cell: (r) => `${r.id}. ${r.nameEn}` },
                {
                  title: 'From XP',
                  cell: (r) => num(formatInt(r.minXp)),
                  className: 'num',
                  narrowHidden: true,
                },
                {
                  title: 'Discord role',
                  cell: (r) =>
                    roleEditor(
                      'rank',
                      String(r.id),
                      r.nameEn,
                      rankRole.get(String(r.id)) ?? null,
                      guild,
                    ),
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
                {
                  title: 'Achievement',
                  cell: (a) =>
                    h('span', {}, a.nameEn, h('span', { class: 'explain' }, a.descriptionEn)),
                },
                {
                  title: 'Discord role',
                  cell: (a) =>
                    roleEditor(
                      'achievement',
                      a.code,
                      a.nameEn,
                      achievementRole.get(a.code) ?? null,
                      guild,
                    ),
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
      importUpload(context.onLeave),
    );
  },
};
