/** Why a ledger entry exists. Names the business event kind; the seed's reasons. */
export const LEDGER_REASONS = [
  'game_guess',
  'game_quiz',
  'daily_spin',
  'daily_reward',
  'discord_message',
  'discord_voice',
  'admin_adjustment',
  'season_prize',
  'coins_spent',
  /** Carried over from another bot (libs/imports), and the rows that revert it. */
  'import',
] as const;
export type LedgerReason = (typeof LEDGER_REASONS)[number];

/** Reasons whose award means a game was won (the first_win achievement). */
export const GAME_WIN_REASONS: readonly LedgerReason[] = ['game_guess', 'game_quiz'];
