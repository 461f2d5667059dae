import { MAX_RANK_ID } from '@ttfd/economy';
import { invalid, ImportError } from '../import.error';
import {
  ImportNote,
  ImportPlan,
  MAX_AMOUNT,
  OfferedRoleMapping,
  PlannedPlayer,
} from '../import-plan';

export interface Mee6Options {
  /** The community guild (DISCORD_GUILD_ID): a file of another guild is refused. */
  guildId: string | null;
  /** Our XP per MEE6 XP: 10 by default (our curve is MEE6's times ten). */
  factor: number;
}

export const DEFAULT_MEE6_FACTOR = 10;
const SNOWFLAKE = /^[0-9]{17,20}$/;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * MEE6's public leaderboard JSON (`/api/plugins/levels/leaderboard/{guild}?limit=1000&page=N`):
 * one page or an array of pages. Validates every page before returning anything; a player on
 * two pages (the board moved between two fetches) counts once, with the higher XP.
 */
export function parseMee6(text: string, options: Mee6Options): ImportPlan {
  const factor = options.factor;
  if (!Number.isInteger(factor) || factor < 1 || factor > 1000) {
    throw invalid('option --factor', 'factor', `${factor} is not a whole number from 1 to 1000`);
  }
  if (!options.guildId) {
    throw new ImportError(
      'IMPORT_WRONG_GUILD',
      'DISCORD_GUILD_ID is not set: a MEE6 file is checked against the community guild, set it first',
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw invalid('file', 'json', `not JSON (${(error as Error).message})`);
  }
  const pages = Array.isArray(document) ? document : [document];
  if (pages.length === 0) throw invalid('file', 'pages', 'an empty array: no page to import');

  const byId = new Map<string, { player: PlannedPlayer; mee6Xp: number }>();
  const notes: ImportNote[] = [];
  const offered = new Map<number, OfferedRoleMapping>();
  pages.forEach((page: unknown, pageIndex) => {
    const at = Array.isArray(document) ? `page [${pageIndex}]` : 'page';
    if (!isObject(page)) throw invalid(at, 'page', 'not an object');
    const guild = page.guild;
    if (!isObject(guild) || typeof guild.id !== 'string') {
      throw invalid(at, 'guild.id', 'missing or not a string');
    }
    if (guild.id !== options.guildId) {
      throw new ImportError(
        'IMPORT_WRONG_GUILD',
        `${at}: guild.id ${guild.id} is not this community's guild (DISCORD_GUILD_ID ${options.guildId})`,
        { where: at, field: 'guild.id' },
      );
    }
    if (!Array.isArray(page.players)) throw invalid(at, 'players', 'missing or not an array');
    page.players.forEach((raw: unknown, index) => {
      const where = `${at} players[${index}]`;
      if (!isObject(raw)) throw invalid(where, 'player', 'not an object');
      if (typeof raw.id !== 'string') {
        throw invalid(
          where,
          'id',
          `must be a string (${typeof raw.id} given; a snowflake read as a JSON number loses digits)`,
        );
      }
      if (!SNOWFLAKE.test(raw.id))
        throw invalid(where, 'id', `"${raw.id}" is not a Discord user id`);
      const xp = raw.xp;
      if (typeof xp !== 'number' || !Number.isInteger(xp) || xp < 0) {
        throw invalid(where, 'xp', `${JSON.stringify(xp)} is not a whole number >= 0`);
      }
      if (xp * factor > MAX_AMOUNT) {
        throw invalid(where, 'xp', `${xp} times ${factor} passes ${MAX_AMOUNT}`);
      }
      const name = typeof raw.username === 'string' ? raw.username.split('\u0000').join('') : null;
      const seen = byId.get(raw.id);
      if (seen) {
        notes.push({
          kind: 'duplicate_dropped',
          subject: `discord:${raw.id}`,
          detail: `${where} repeats the player (kept the higher XP)`,
        });
        if (xp <= seen.mee6Xp) return;
      }
      byId.set(raw.id, {
        mee6Xp: xp,
        player: {
          platform: 'discord',
          externalId: raw.id,
          displayName: name,
          entries: xp === 0 ? [] : [{ key: `import:mee6:${raw.id}`, xp: xp * factor, coins: 0 }],
          achievements: [],
        },
      });
    });
    if (page.role_rewards !== undefined) {
      if (!Array.isArray(page.role_rewards)) throw invalid(at, 'role_rewards', 'not an array');
      page.role_rewards.forEach((reward: unknown, index) => {
        const where = `${at} role_rewards[${index}]`;
        if (!isObject(reward) || !isObject(reward.role)) throw invalid(where, 'role', 'missing');
        const level = reward.rank;
        const roleId = reward.role.id;
        if (typeof level !== 'number' || !Number.isInteger(level) || level < 0) {
          throw invalid(where, 'rank', `${JSON.stringify(level)} is not a MEE6 level`);
        }
        if (typeof roleId !== 'string' || !SNOWFLAKE.test(roleId)) {
          throw invalid(where, 'role.id', `${JSON.stringify(roleId)} is not a Discord role id`);
        }
        const rankId = Math.min(level + 1, MAX_RANK_ID);
        const name = typeof reward.role.name === 'string' ? ` "${reward.role.name}"` : '';
        offered.set(rankId, {
          rankId,
          discordRoleId: roleId,
          origin: `MEE6 level ${level} reward${name}`,
        });
      });
    }
  });
  return {
    source: 'mee6',
    players: [...byId.values()].map((entry) => entry.player),
    notes,
    offeredRoleMappings: [...offered.values()].sort((a, b) => a.rankId - b.rankId),
  };
}
