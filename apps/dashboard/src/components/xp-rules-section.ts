import { fill, formatTime, h } from '../dom';
import { gql } from '../graphql-client';
import { errorBox, loading, notice } from './status';
import { table } from './table';
import { xpSource } from '../words';

/*
 * The admin's XP rules on the settings page: the global multiplier, channel and role
 * multipliers (0 = no XP), double-XP events and rank-up announcements. Every edit is one
 * mutation whose answer is the rules after it, so the section redraws from what the server
 * stored; the server's refusal (INVALID_XP_RULE, with what to send instead) shows in place.
 */

const RULES_FIELDS = `version globalMultiplier timeZone defaultNoXpChannelIds
  multipliers { kind targetId multiplier note }
  events { id name multiplier sources startsAt endsAt }
  announcements { enabled discordChannelId telegramChatId templateRu templateEn }`;
const RULES = `query XpRules { xpRules { ${RULES_FIELDS} } }`;
const SET_GLOBAL = `mutation SetXpGlobal($m: Float!) { setXpGlobalMultiplier(multiplier: $m) { ${RULES_FIELDS} } }`;
const SET_MULTIPLIER = `mutation SetXpMultiplier($input: XpMultiplierInput!) { setXpMultiplier(input: $input) { ${RULES_FIELDS} } }`;
const REMOVE_MULTIPLIER = `mutation RemoveXpMultiplier($kind: String!, $targetId: String!) { removeXpMultiplier(kind: $kind, targetId: $targetId) { ${RULES_FIELDS} } }`;
const CREATE_EVENT = `mutation CreateXpEvent($input: XpEventInput!) { createXpEvent(input: $input) { ${RULES_FIELDS} } }`;
const DELETE_EVENT = `mutation DeleteXpEvent($id: ID!) { deleteXpEvent(id: $id) { ${RULES_FIELDS} } }`;
const SET_ANNOUNCEMENTS = `mutation SetAnnouncements($input: RankAnnouncementsInput!) { setRankAnnouncements(input: $input) { ${RULES_FIELDS} } }`;

const SOURCES = ['discord_message', 'discord_voice', 'games', 'daily'] as const;

interface XpRules {
  version: number;
  globalMultiplier: number;
  timeZone: string;
  defaultNoXpChannelIds: string[];
  multipliers: { kind: string; targetId: string; multiplier: number; note: string | null }[];
  events: {
    id: string;
    name: string;
    multiplier: number;
    sources: string[];
    startsAt: string;
    endsAt: string;
  }[];
  announcements: {
    enabled: boolean;
    discordChannelId: string | null;
    telegramChatId: string | null;
    templateRu: string | null;
    templateEn: string | null;
  };
}

type Answer = Record<string, XpRules>;

export function xpRulesSection(): HTMLElement {
  const body = h('div', {}, loading());
  const section = h('section', { class: 'card', id: 'xp-rules' }, h('h2', {}, 'XP rules'), body);
  const message = h('div', {
    class: 'form-message',
    id: 'xp-rules-message',
    'aria-live': 'polite',
  });

  const draw = (rules: XpRules) => fill(body, ...content(rules, change), message);
  const change = (query: string, variables: Record<string, unknown>, done: string) => {
    fill(message, loading('Saving…'));
    gql<Answer>(query, variables)
      .then((answer) => {
        draw(Object.values(answer)[0]);
        fill(message, notice(`${done} In effect on every process within a few seconds.`));
      })
      .catch((error: unknown) => fill(message, errorBox(error)));
  };
  gql<{ xpRules: XpRules }>(RULES)
    .then(({ xpRules }) => draw(xpRules))
    .catch((error: unknown) => fill(body, errorBox(error)));
  return section;
}

type Change = (query: string, variables: Record<string, unknown>, done: string) => void;

function content(rules: XpRules, change: Change): HTMLElement[] {
  return [
    h(
      'p',
      { class: 'muted' },
      'XP = base × global × channel × best role × event (0 anywhere: no XP). Coins are never multiplied. ',
      rules.defaultNoXpChannelIds.length > 0
        ? `No XP by default (DISCORD_NO_XP_CHANNEL_IDS): ${rules.defaultNoXpChannelIds.join(', ')}.`
        : '',
    ),
    globalForm(rules, change),
    h('h3', {}, 'Channels and roles'),
    table(
      [
        { title: 'kind', cell: (m) => m.kind },
        { title: 'Discord id', cell: (m) => m.targetId },
        { title: 'multiplier', cell: (m) => (m.multiplier === 0 ? 'no XP' : `×${m.multiplier}`) },
        { title: 'note', cell: (m) => m.note ?? '', narrowHidden: true },
        {
          title: '',
          cell: (m) =>
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                onclick: () =>
                  change(REMOVE_MULTIPLIER, { kind: m.kind, targetId: m.targetId }, 'Removed.'),
              },
              'Remove',
            ),
        },
      ],
      rules.multipliers,
    ),
    multiplierForm(change),
    h('h3', {}, 'Double-XP events'),
    table(
      [
        { title: 'name', cell: (e) => e.name },
        { title: '×', cell: (e) => `×${e.multiplier}` },
        { title: 'sources', cell: (e) => e.sources.map(xpSource).join(', '), narrowHidden: true },
        { title: 'from', cell: (e) => formatTime(e.startsAt) },
        { title: 'until', cell: (e) => formatTime(e.endsAt) },
        {
          title: '',
          cell: (e) =>
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                onclick: () => change(DELETE_EVENT, { id: e.id }, 'Event removed.'),
              },
              'Remove',
            ),
        },
      ],
      rules.events,
    ),
    eventForm(rules.timeZone, change),
    h('h3', {}, 'Rank-up announcements'),
    announcementsForm(rules.announcements, change),
  ];
}

function field(id: string, label: string, input: HTMLElement): HTMLElement {
  return h('div', {}, h('label', { for: id }, label), input);
}

function globalForm(rules: XpRules, change: Change): HTMLElement {
  const input = h('input', {
    id: 'xp-global',
    type: 'number',
    step: '0.01',
    min: 0,
    max: 10,
    value: rules.globalMultiplier,
  });
  const form = h(
    'form',
    { class: 'form-row' },
    field('xp-global', 'Global multiplier', input),
    h('button', { type: 'submit', class: 'secondary' }, 'Save'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    change(SET_GLOBAL, { m: Number(input.value) }, 'Saved.');
  });
  return form;
}

function multiplierForm(change: Change): HTMLElement {
  const kind = h(
    'select',
    { id: 'xp-kind' },
    h('option', { value: 'channel' }, 'channel'),
    h('option', { value: 'role' }, 'role'),
  );
  const target = h('input', { id: 'xp-target', inputmode: 'numeric', size: 20, required: true });
  const multiplier = h('input', {
    id: 'xp-multiplier',
    type: 'number',
    step: '0.01',
    min: 0,
    max: 10,
    value: 2,
  });
  const form = h(
    'form',
    { class: 'form-row', id: 'xp-multiplier-form' },
    field('xp-kind', 'Kind', kind),
    field('xp-target', 'Channel or role id', target),
    field('xp-multiplier', 'Multiplier (0 = no XP)', multiplier),
    h('button', { type: 'submit' }, 'Set'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    change(
      SET_MULTIPLIER,
      {
        input: {
          kind: kind.value,
          targetId: target.value.trim(),
          multiplier: Number(multiplier.value),
        },
      },
      'Saved.',
    );
  });
  return form;
}

function eventForm(timeZone: string, change: Change): HTMLElement {
  const name = h('input', { id: 'xp-event-name', required: true, size: 16 });
  const multiplier = h('input', {
    id: 'xp-event-multiplier',
    type: 'number',
    step: '0.01',
    min: 1.01,
    max: 10,
    value: 2,
  });
  const starts = h('input', { id: 'xp-event-starts', type: 'datetime-local', required: true });
  const ends = h('input', { id: 'xp-event-ends', type: 'datetime-local', required: true });
  const boxes = SOURCES.map((source) =>
    h('input', { type: 'checkbox', id: `xp-source-${source}`, value: source, checked: true }),
  );
  const form = h(
    'form',
    { class: 'form-row', id: 'xp-event-form' },
    field('xp-event-name', 'Name', name),
    field('xp-event-multiplier', 'Multiplier', multiplier),
    field('xp-event-starts', `Starts (${timeZone})`, starts),
    field('xp-event-ends', `Ends (${timeZone})`, ends),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Sources'),
      ...SOURCES.map((source, i) =>
        h('label', { for: `xp-source-${source}` }, boxes[i], ` ${xpSource(source)} `),
      ),
    ),
    h('button', { type: 'submit' }, 'Schedule'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    change(
      CREATE_EVENT,
      {
        input: {
          name: name.value,
          multiplier: Number(multiplier.value),
          sources: boxes.filter((box) => box.checked).map((box) => box.value),
          startsAt: starts.value,
          endsAt: ends.value,
        },
      },
      'Event scheduled.',
    );
  });
  return form;
}

function announcementsForm(current: XpRules['announcements'], change: Change): HTMLElement {
  const enabled = h('input', { id: 'ann-enabled', type: 'checkbox', checked: current.enabled });
  const discord = h('input', {
    id: 'ann-discord',
    value: current.discordChannelId ?? '',
    size: 20,
  });
  const telegram = h('input', {
    id: 'ann-telegram',
    value: current.telegramChatId ?? '',
    size: 16,
  });
  const ru = h('input', { id: 'ann-ru', value: current.templateRu ?? '', size: 40 });
  const en = h('input', { id: 'ann-en', value: current.templateEn ?? '', size: 40 });
  const form = h(
    'form',
    { class: 'form-row', id: 'announcements-form' },
    h('label', { for: 'ann-enabled' }, enabled, ' Announce rank-ups'),
    field('ann-discord', 'Discord channel id', discord),
    field('ann-telegram', 'Telegram group chat id', telegram),
    field('ann-ru', 'Template (ru): {player} {rank} {platform}', ru),
    field('ann-en', 'Template (en)', en),
    h('button', { type: 'submit' }, 'Save'),
  );
  const orNull = (input: HTMLInputElement) => input.value.trim() || null;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    change(
      SET_ANNOUNCEMENTS,
      {
        input: {
          enabled: enabled.checked,
          discordChannelId: orNull(discord),
          telegramChatId: orNull(telegram),
          templateRu: orNull(ru),
          templateEn: orNull(en),
        },
      },
      'Saved.',
    );
  });
  return form;
}
