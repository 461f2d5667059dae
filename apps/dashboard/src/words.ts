/**
 * Words for the codes the server speaks (ledger reasons, event types and statuses, reconcile
 * counters, platforms): one home, so no page shows `discord_message` or `unknownMembers`. A code
 * this list does not know yet (a newer server) is still turned into words by `humanize`.
 */

/** `discord_message` -> "discord message", `rolesExtra` -> "roles extra", `xp.changed` -> "xp changed". */
export function humanize(code: string): string {
  return code
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.:-]+/g, ' ')
    .toLowerCase()
    .trim();
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const LEDGER_REASONS: Record<string, string> = {
  game_guess: 'Guess game',
  game_quiz: 'Quiz',
  daily_spin: 'Daily spin',
  daily_reward: 'Daily reward',
  discord_message: 'Discord message',
  discord_voice: 'Voice chat',
  admin_adjustment: 'Adjustment by an admin',
  season_prize: 'Season prize',
  coins_spent: 'Coins spent',
};

export const ledgerReason = (code: string) => LEDGER_REASONS[code] ?? capital(humanize(code));

const EVENT_TYPES: Record<string, string> = {
  'xp.changed': 'XP changed',
  'balance.changed': 'Coins changed',
  'rank.changed': 'Rank changed',
  'achievement.unlocked': 'Achievement unlocked',
  'account.linked': 'Accounts linked',
  'roles.resync': 'Roles re-sync',
  'notify.dm': 'Message to a player',
};

/** Every event type the dashboard offers in its filter. */
export const KNOWN_EVENT_TYPES = Object.keys(EVENT_TYPES);

export const eventType = (code: string) => EVENT_TYPES[code] ?? capital(humanize(code));

const STATUSES: Record<string, string> = {
  pending: 'Waiting',
  processing: 'In progress',
  completed: 'Done',
  failed: 'Failed',
  running: 'Running',
};

export const statusWord = (code: string) => STATUSES[code] ?? capital(humanize(code));

const SOURCES: Record<string, string> = {
  telegram: 'Telegram',
  discord: 'Discord',
  admin: 'Admin',
  system: 'System',
  schedule: 'On schedule',
  manual: 'By an admin',
};

export const sourceWord = (code: string) => SOURCES[code] ?? capital(humanize(code));

const XP_SOURCES: Record<string, string> = {
  discord_message: 'Discord messages',
  discord_voice: 'Voice chat',
  games: 'Telegram games',
  daily: 'Daily reward',
};

/** What a double-XP event covers. */
export const xpSource = (code: string) => XP_SOURCES[code] ?? capital(humanize(code));

/** A reconcile counter in a sentence: `[singular, plural]` of what was counted. */
const RECONCILE_COUNTERS: Record<string, [string, string]> = {
  accounts: ['account', 'accounts'],
  members: ['Discord member', 'Discord members'],
  unknownMembers: ['Discord member without an account', 'Discord members without an account'],
  seasonScores: ['season score', 'season scores'],
  totals: ['account total', 'account totals'],
  rank: ['rank', 'ranks'],
  rolesMissing: ['missing role', 'missing roles'],
  rolesExtra: ['extra role', 'extra roles'],
  rolesAdded: ['role given', 'roles given'],
  rolesRemoved: ['role taken back', 'roles taken back'],
};

/** `3, 'rolesMissing'` -> "3 missing roles". */
export function counted(n: number, code: string): string {
  const words = RECONCILE_COUNTERS[code];
  const noun = words ? words[n === 1 ? 0 : 1] : humanize(code);
  return `${n.toLocaleString('en')} ${noun}`;
}

export const platformWord = (code: string) => SOURCES[code] ?? capital(humanize(code));
