/**
 * Answers to gateway op 8 REQUEST_GUILD_MEMBERS as GUILD_MEMBERS_CHUNK payloads. discord.js
 * uses it for `guild.members.fetch()` without an id (the whole list, which needs the
 * GUILD_MEMBERS intent), by ids, or by name prefix; it matches chunks to its request by nonce.
 */
import type { GatewayGuildMembersChunkDispatchData } from 'discord.js';
import { optionalNumber, optionalString, stringArray } from './json';
import { apiMember } from './payloads';
import type { FakeDiscordState, GuildRecord } from './state';
import type { JsonObject } from './types';

const MEMBERS_PER_CHUNK = 1_000;

export interface MemberChunksAnswer {
  chunks: GatewayGuildMembersChunkDispatchData[];
  /** Set when the request was refused (answered with an empty chunk). */
  problem?: string;
}

export function memberChunks(
  state: FakeDiscordState,
  guild: GuildRecord,
  request: JsonObject,
  hasMembersIntent: boolean,
): MemberChunksAnswer {
  const userIds =
    stringArray(request.user_ids) ??
    (typeof request.user_ids === 'string' ? [request.user_ids] : undefined);
  const query = optionalString(request.query);
  const limit = optionalNumber(request.limit) ?? 0;
  const nonce = optionalString(request.nonce);
  const sorted = state.sortedMembers(guild);

  let members = sorted;
  let notFound: string[] | undefined;
  let problem: string | undefined;
  if (userIds) {
    members = sorted.filter((m) => userIds.includes(m.userId));
    notFound = userIds.filter((id) => !guild.members.has(id));
  } else if (query !== undefined && query !== '') {
    const prefix = query.toLowerCase();
    members = sorted
      .filter((m) =>
        [state.requireUser(m.userId).username, m.nick ?? ''].some((name) =>
          name.toLowerCase().startsWith(prefix),
        ),
      )
      .slice(0, limit > 0 ? limit : 100);
  } else if (!hasMembersIntent) {
    problem = 'REQUEST_GUILD_MEMBERS for the whole list without the GUILD_MEMBERS intent';
    members = [];
  } else if (limit > 0) {
    members = sorted.slice(0, limit);
  }

  const chunkCount = Math.max(1, Math.ceil(members.length / MEMBERS_PER_CHUNK));
  const chunks: GatewayGuildMembersChunkDispatchData[] = [];
  for (let index = 0; index < chunkCount; index += 1) {
    const slice = members.slice(index * MEMBERS_PER_CHUNK, (index + 1) * MEMBERS_PER_CHUNK);
    chunks.push({
      guild_id: guild.id,
      members: slice.map((m) => apiMember(state, m)),
      chunk_index: index,
      chunk_count: chunkCount,
      ...(notFound && notFound.length > 0 ? { not_found: notFound } : {}),
      ...(request.presences === true ? { presences: [] } : {}),
      ...(nonce !== undefined ? { nonce } : {}),
    });
  }
  return { chunks, ...(problem ? { problem } : {}) };
}
