import { errorBox, loading, notice } from '../components/status';
import { table } from '../components/table';
import { xpRuleNote } from '../components/xp-rule-note';
import { fill, formatInt, h, num, timeAgo } from '../dom';
import { gql } from '../graphql-client';
import { Page, PageContext } from '../router';
import { ledgerReason, platformWord, sourceWord } from '../words';

const ACCOUNT_FIELDS = `id xp coins rankId mergedInto createdAt
  ledger(first: 30) { entries { id xpDelta coinsDelta reason source entityId createdAt metadata } }
  roles { wanted applied missing extra }`;
const BY_IDENTITY = `query ByIdentity($platform: String!, $externalId: String!) {
  accountByIdentity(platform: $platform, externalId: $externalId) { ${ACCOUNT_FIELDS} } }`;
const BY_ID = `query ById($id: ID!) { account(id: $id) { ${ACCOUNT_FIELDS} } }`;
const PROFILE = `query Profile($id: ID!) { profile(accountId: $id) {
  rank { id nameEn } achievements { code nameEn unlockedAt }
  identities { platform externalId username displayName } }
  guildRoles { roles { id name color } }
  adjustmentLimit }`;
const ADJUST = `mutation Adjust($accountId: ID!, $input: AdjustmentInput!, $key: String!) {
  adjustAccount(accountId: $accountId, input: $input, idempotencyKey: $key) { xp coins duplicate } }`;

interface Account {
  id: string;
  xp: number;
  coins: number;
  rankId: number;
  createdAt: string;
  ledger: {
    entries: {
      id: string;
      xpDelta: number;
      coinsDelta: number;
      reason: string;
      source: string;
      metadata: Record<string, unknown> | null;
      entityId: string | null;
      createdAt: string;
    }[];
  };
  roles: { wanted: string[]; applied: string[] | null; missing: string[]; extra: string[] };
}
interface Profile {
  rank: { id: number; nameEn: string };
  achievements: { code: string; nameEn: string; unlockedAt: string }[];
  identities:
    | {
        platform: string;
        externalId: string;
        username: string | null;
        displayName: string | null;
      }[]
    | null;
}

interface GuildRole {
  id: string;
  name: string;
  color: string | null;
}
interface ProfileAnswer {
  profile: Profile;
  guildRoles: { roles: GuildRole[] };
  adjustmentLimit: number;
}

const signed = (n: number) => (n > 0 ? `+${formatInt(n)}` : formatInt(n));

/** Roles by name and colour; the id on hover (and as text when the guild could not be read). */
function roleList(roles: string[] | null, guild: GuildRole[], none: string): Node | string {
  if (roles === null) return 'Unknown: they are not a member of the Discord server.';
  if (roles.length === 0) return none;
  return h(
    'span',
    { class: 'role-list' },
    roles.flatMap((id, i) => {
      const role = guild.find((r) => r.id === id);
      const label = role
        ? h(
            'span',
            { class: 'role-name', title: `role id ${id}` },
            h('span', { class: 'swatch', style: `background: ${role.color ?? '#99aab5'}` }),
            role.name,
          )
        : h(
            'span',
            { class: 'role-name', title: 'not a role of the Discord server' },
            `role ${id}`,
          );
      return i === 0 ? [label] : [', ', label];
    }),
  );
}

/** A term of the roles box, with what it means underneath. */
const term = (name: string, meaning: string) =>
  h('dt', {}, name, h('span', { class: 'explain' }, meaning));

/** A fresh key per adjustment form: a double click or a resend applies once. */
const newKey = () => `dashboard-${crypto.randomUUID()}`;

function adjustmentForm(
  account: Account,
  limit: number,
  reload: (notice?: string) => void,
): HTMLElement {
  let key = newKey();
  const currency = h(
    'select',
    { id: 'adjust-currency', name: 'currency' },
    h('option', { value: 'xp' }, 'XP'),
    h('option', { value: 'coins' }, 'Coins'),
  );
  const delta = h('input', {
    id: 'adjust-delta',
    name: 'delta',
    type: 'number',
    step: 1,
    min: -limit,
    max: limit,
    required: true,
    size: 8,
    'aria-describedby': 'adjust-help',
  });
  const reason = h('input', {
    id: 'adjust-reason',
    name: 'reason',
    maxlength: 200,
    required: true,
    placeholder: 'why (kept in the ledger)',
  });
  const message = h('div', { class: 'form-message' });
  const form = h(
    'form',
    { class: 'card', id: 'adjust-form', novalidate: true },
    h('h2', {}, 'Adjust'),
    h(
      'div',
      { class: 'form-row' },
      h('div', {}, h('label', { for: 'adjust-currency' }, 'Currency'), currency),
      h('div', {}, h('label', { for: 'adjust-delta' }, 'Amount (±)'), delta),
      h('div', { class: 'field-grow' }, h('label', { for: 'adjust-reason' }, 'Reason'), reason),
      h('button', { type: 'submit' }, 'Apply'),
    ),
    h(
      'p',
      { class: 'muted', id: 'adjust-help' },
      `A whole number from −${formatInt(limit)} to ${formatInt(limit)}; negative takes away.`,
    ),
    message,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const amount = Number(delta.value);
    const why = reason.value.trim();
    const what = currency.value === 'xp' ? 'XP' : 'coins';
    delta.removeAttribute('aria-invalid');
    if (delta.value.trim() === '' || !Number.isInteger(amount) || amount === 0) {
      delta.setAttribute('aria-invalid', 'true');
      fill(message, notice('The amount must be a whole number other than 0.', 'error'));
      return;
    }
    if (Math.abs(amount) > limit) {
      delta.setAttribute('aria-invalid', 'true');
      fill(
        message,
        notice(
          `One adjustment moves at most ${formatInt(limit)} ${what}; split a larger change.`,
          'error',
        ),
      );
      return;
    }
    if (currency.value === 'coins' && account.coins + amount < 0) {
      delta.setAttribute('aria-invalid', 'true');
      fill(
        message,
        notice(
          `They have ${formatInt(account.coins)} coins: at most ${formatInt(account.coins)} can be taken away.`,
          'error',
        ),
      );
      return;
    }
    if (!why) {
      fill(message, notice('Say why: the reason is kept in the ledger.', 'error'));
      return;
    }
    gql<{ adjustAccount: { xp: number; coins: number; duplicate: boolean } }>(ADJUST, {
      accountId: account.id,
      input: { currency: currency.value, delta: amount, reason: why },
      key,
    })
      .then(({ adjustAccount }) => {
        key = newKey();
        const done = adjustAccount.duplicate
          ? 'Already applied (sent twice)'
          : `Applied ${signed(amount)} ${what}`;
        const text = `${done}. New totals: ${formatInt(adjustAccount.xp)} XP, ${formatInt(adjustAccount.coins)} coins.`;
        delta.value = '';
        reason.value = '';
        reload(text);
      })
      .catch((error: unknown) => fill(message, errorBox(error)));
  });
  return form;
}

function accountView(
  account: Account,
  answer: ProfileAnswer,
  reload: (notice?: string) => void,
  done: string | null,
): Node[] {
  const { profile, guildRoles, adjustmentLimit } = answer;
  const guild = guildRoles.roles;
  return [
    done ? notice(done) : h('span'),
    h(
      'section',
      { class: 'card', id: 'account', 'data-account-id': account.id },
      h('h2', {}, `Account ${account.id}`),
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'XP'),
        h('dd', { 'data-field': 'xp' }, formatInt(account.xp)),
        h('dt', {}, 'Coins'),
        h('dd', { 'data-field': 'coins' }, formatInt(account.coins)),
        h('dt', {}, 'Rank'),
        h('dd', {}, `${profile.rank.nameEn} (rank ${profile.rank.id} of 20)`),
        h('dt', {}, 'Accounts'),
        h(
          'dd',
          {},
          (profile.identities ?? [])
            .map(
              (i) =>
                `${platformWord(i.platform)} ${i.externalId}${i.displayName ? ` (${i.displayName})` : ''}`,
            )
            .join(' · ') || '–',
        ),
        h('dt', {}, 'Achievements'),
        h('dd', {}, profile.achievements.map((a) => a.nameEn).join(', ') || 'None yet'),
        h('dt', {}, 'Player since'),
        h('dd', {}, timeAgo(account.createdAt)),
      ),
    ),
    h(
      'section',
      { class: 'card', id: 'roles' },
      h('h2', {}, 'Discord roles'),
      h(
        'dl',
        { class: 'facts' },
        term('Wanted', 'what their rank and achievements call for'),
        h('dd', { 'data-field': 'wanted' }, roleList(account.roles.wanted, guild, 'None')),
        term('Has now', 'what Discord shows on them'),
        h('dd', { 'data-field': 'applied' }, roleList(account.roles.applied, guild, 'None')),
        term('Missing', 'wanted but not given yet: the sync adds them'),
        h(
          'dd',
          { 'data-field': 'missing' },
          roleList(account.roles.missing, guild, 'Nothing missing'),
        ),
        term('Extra', 'our roles they should not have: the sync takes them back'),
        h('dd', { 'data-field': 'extra' }, roleList(account.roles.extra, guild, 'Nothing extra')),
      ),
    ),
    adjustmentForm(account, adjustmentLimit, reload),
    h(
      'section',
      { class: 'card', id: 'ledger' },
      h('h2', {}, 'Ledger (newest first)'),
      table(
        [
          { title: 'When', cell: (e) => timeAgo(e.createdAt) },
          { title: 'XP', cell: (e) => num(e.xpDelta ? signed(e.xpDelta) : ''), className: 'num' },
          {
            title: 'Coins',
            cell: (e) => num(e.coinsDelta ? signed(e.coinsDelta) : ''),
            className: 'num',
          },
          {
            title: 'Why',
            cell: (e) =>
              ledgerReason(e.reason) +
              (e.entityId && e.source === 'admin' ? `: ${e.entityId}` : ''),
          },
          { title: 'From', cell: (e) => sourceWord(e.source), narrowHidden: true },
          { title: 'Rule', cell: (e) => xpRuleNote(e.metadata), narrowHidden: true },
        ],
        account.ledger.entries,
        { empty: 'No ledger entries.' },
      ),
    ),
  ];
}

async function find(params: URLSearchParams): Promise<Account | null> {
  const platform = params.get('platform') ?? 'telegram';
  const id = params.get('id') ?? '';
  if (platform === 'account') {
    return (await gql<{ account: Account }>(BY_ID, { id })).account;
  }
  return (
    await gql<{ accountByIdentity: Account | null }>(BY_IDENTITY, { platform, externalId: id })
  ).accountByIdentity;
}

function render(context: PageContext, result: HTMLElement, params: URLSearchParams): void {
  if (!params.get('id')) return fill(result);
  const load = (done: string | null = null) => {
    find(params)
      .then(async (account) => {
        if (!account) {
          fill(
            result,
            notice(`No player with ${params.get('platform')} id ${params.get('id')}.`, 'error'),
          );
          return;
        }
        const answer = await gql<ProfileAnswer>(PROFILE, { id: account.id });
        fill(
          result,
          accountView(account, answer, (text) => load(text ?? null), done),
        );
      })
      .catch((error: unknown) =>
        fill(
          result,
          errorBox(error, () => load()),
        ),
      );
  };
  if (!result.hasChildNodes()) fill(result, loading());
  load();
}

export const playerPage: Page = {
  path: '/player',
  title: 'Player',
  access: 'admin',
  render(context) {
    const params = new URLSearchParams(context.params);
    const platform = h(
      'select',
      { id: 'find-platform', name: 'platform' },
      ['telegram', 'discord', 'account'].map((p) =>
        h(
          'option',
          { value: p, selected: p === (params.get('platform') ?? 'telegram') },
          p === 'account' ? 'Account id' : `${platformWord(p)} user id`,
        ),
      ),
    );
    const id = h('input', {
      id: 'find-id',
      name: 'id',
      value: params.get('id') ?? '',
      inputmode: 'numeric',
      required: true,
      size: 20,
    });
    const error = h('p', { class: 'field-error', id: 'find-error' });
    const result = h('div', { id: 'player-result' });
    const form = h(
      'form',
      { class: 'form-row', id: 'find-player', novalidate: true },
      h('div', {}, h('label', { for: 'find-platform' }, 'Find by'), platform),
      h('div', {}, h('label', { for: 'find-id' }, 'Id'), id, error),
      h('button', { type: 'submit' }, 'Find'),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const value = id.value.trim();
      if (!/^\d{1,20}$/.test(value)) {
        id.setAttribute('aria-invalid', 'true');
        error.textContent = 'A numeric id (Telegram user id, Discord user id or account id).';
        return;
      }
      id.removeAttribute('aria-invalid');
      error.textContent = '';
      params.set('platform', platform.value);
      params.set('id', value);
      history.replaceState(null, '', `/player?${params.toString()}`);
      fill(result);
      render(context, result, params);
    });
    context.root.append(h('h1', {}, 'Player'), form, result);
    render(context, result, params);
  },
};
