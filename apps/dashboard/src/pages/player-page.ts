import { errorBox, loading, notice } from '../components/status';
import { table } from '../components/table';
import { xpRuleNote } from '../components/xp-rule-note';
import { fill, formatInt, formatTime, h } from '../dom';
import { gql } from '../graphql-client';
import { Page, PageContext } from '../router';

const ACCOUNT_FIELDS = `id xp coins rankId mergedInto createdAt
  ledger(first: 30) { entries { id xpDelta coinsDelta reason source entityId createdAt metadata } }
  roles { wanted applied missing extra }`;
const BY_IDENTITY = `query ByIdentity($platform: String!, $externalId: String!) {
  accountByIdentity(platform: $platform, externalId: $externalId) { ${ACCOUNT_FIELDS} } }`;
const BY_ID = `query ById($id: ID!) { account(id: $id) { ${ACCOUNT_FIELDS} } }`;
const PROFILE = `query Profile($id: ID!) { profile(accountId: $id) {
  rank { nameEn } achievements { code unlockedAt } identities { platform externalId username displayName } } }`;
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
  rank: { nameEn: string };
  achievements: { code: string; unlockedAt: string }[];
  identities:
    | {
        platform: string;
        externalId: string;
        username: string | null;
        displayName: string | null;
      }[]
    | null;
}

const signed = (n: number) => (n > 0 ? `+${formatInt(n)}` : formatInt(n));
const list = (roles: string[] | null) =>
  roles === null ? 'unknown (no Discord member)' : roles.join(', ') || 'none';

/** A fresh key per adjustment form: a double click or a resend applies once. */
const newKey = () => `dashboard-${crypto.randomUUID()}`;

function adjustmentForm(account: Account, reload: () => void): HTMLElement {
  let key = newKey();
  const currency = h(
    'select',
    { id: 'adjust-currency', name: 'currency' },
    h('option', { value: 'xp' }, 'XP'),
    h('option', { value: 'coins' }, 'coins'),
  );
  const delta = h('input', {
    id: 'adjust-delta',
    name: 'delta',
    type: 'number',
    step: 1,
    required: true,
    size: 8,
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
      h('div', { style: 'flex: 1' }, h('label', { for: 'adjust-reason' }, 'Reason'), reason),
      h('button', { type: 'submit' }, 'Apply'),
    ),
    message,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const amount = Number(delta.value);
    const why = reason.value.trim();
    if (!Number.isInteger(amount) || amount === 0) {
      fill(message, notice('The amount must be a whole number other than 0.', 'error'));
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
        fill(
          message,
          notice(
            `Applied: XP ${formatInt(adjustAccount.xp)}, coins ${formatInt(adjustAccount.coins)}.`,
          ),
        );
        reload();
      })
      .catch((error: unknown) => fill(message, errorBox(error)));
  });
  return form;
}

function accountView(account: Account, profile: Profile, reload: () => void): Node[] {
  return [
    h(
      'section',
      { class: 'card', id: 'account', 'data-account-id': account.id },
      h('h2', {}, `Account #${account.id}`),
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'XP'),
        h('dd', { 'data-field': 'xp' }, formatInt(account.xp)),
        h('dt', {}, 'coins'),
        h('dd', { 'data-field': 'coins' }, formatInt(account.coins)),
        h('dt', {}, 'rank'),
        h('dd', {}, `${profile.rank.nameEn} (${account.rankId})`),
        h('dt', {}, 'identities'),
        h(
          'dd',
          {},
          (profile.identities ?? [])
            .map((i) => `${i.platform} ${i.externalId}${i.username ? ` (@${i.username})` : ''}`)
            .join(' · ') || '–',
        ),
        h('dt', {}, 'achievements'),
        h('dd', {}, profile.achievements.map((a) => a.code).join(', ') || 'none'),
        h('dt', {}, 'since'),
        h('dd', {}, formatTime(account.createdAt)),
      ),
    ),
    h(
      'section',
      { class: 'card', id: 'roles' },
      h('h2', {}, 'Discord roles'),
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'wanted'),
        h('dd', { 'data-field': 'wanted' }, list(account.roles.wanted)),
        h('dt', {}, 'applied'),
        h('dd', { 'data-field': 'applied' }, list(account.roles.applied)),
        h('dt', {}, 'missing'),
        h('dd', {}, list(account.roles.missing)),
        h('dt', {}, 'extra'),
        h('dd', {}, list(account.roles.extra)),
      ),
    ),
    adjustmentForm(account, reload),
    h(
      'section',
      { class: 'card', id: 'ledger' },
      h('h2', {}, 'Ledger (newest first)'),
      table(
        [
          { title: 'when', cell: (e) => formatTime(e.createdAt) },
          { title: 'XP', cell: (e) => (e.xpDelta ? signed(e.xpDelta) : '') },
          { title: 'coins', cell: (e) => (e.coinsDelta ? signed(e.coinsDelta) : '') },
          {
            title: 'reason',
            cell: (e) => e.reason + (e.entityId && e.source === 'admin' ? `: ${e.entityId}` : ''),
          },
          { title: 'source', cell: (e) => e.source, narrowHidden: true },
          { title: 'rule', cell: (e) => xpRuleNote(e.metadata), narrowHidden: true },
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
  const load = () => {
    find(params)
      .then(async (account) => {
        if (!account) {
          fill(
            result,
            notice(`No player with ${params.get('platform')} id ${params.get('id')}.`, 'error'),
          );
          return;
        }
        const { profile } = await gql<{ profile: Profile }>(PROFILE, { id: account.id });
        fill(result, accountView(account, profile, load));
      })
      .catch((error: unknown) => fill(result, errorBox(error, load)));
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
          p === 'account' ? 'account id' : `${p} id`,
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
