/**
 * Gateway discovery, the bot user, the application and its slash commands. necord registers
 * commands with a bulk overwrite (PUT) once the client is ready, after fetching
 * `/applications/@me` because READY only carries a partial application.
 */
import {
  ApplicationCommandType,
  type APIApplication,
  type APIApplicationCommand,
  type APIApplicationCommandOption,
} from 'discord.js';
import { DiscordErrors } from './discord-errors';
import { asRecord, isRecord, optionalNumber, optionalString, recordArray } from './json';
import { apiUser } from './payloads';
import { applicationOr403, guildOr404, type RouteContext } from './route-context';
import { created, noContent, ok, type RestRouter } from './rest-router';
import type { JsonObject } from './types';

export function registerApplicationRoutes(router: RestRouter, ctx: RouteContext): void {
  const { state } = ctx.world;

  router
    .get('/gateway', () => ok({ url: ctx.gatewayUrl() }), { auth: false })
    .get('/gateway/bot', () =>
      ok({
        url: ctx.gatewayUrl(),
        shards: 1,
        session_start_limit: {
          total: 1000,
          remaining: Math.max(0, 1000 - ctx.identifyCount()),
          // @discordjs/ws caches this answer for reset_after ms.
          reset_after: 86_400_000,
          max_concurrency: 1,
        },
      }),
    )
    .get('/users/@me', () =>
      ok({ ...apiUser(state.bot), verified: true, mfa_enabled: false, flags: 0 }),
    )
    .get('/users/:userId', ({ params }) => {
      const user = state.users.get(params.userId!);
      if (!user) throw DiscordErrors.unknownUser();
      return ok(apiUser(user));
    })
    .get('/applications/@me', () => ok(application(ctx)))
    .get('/oauth2/applications/@me', () => ok(application(ctx)));

  const globalList = () => state.globalCommands;
  const guildList = (guildId: string) => {
    guildOr404(ctx, guildId);
    let list = state.guildCommands.get(guildId);
    if (!list) {
      list = [];
      state.guildCommands.set(guildId, list);
    }
    return list;
  };

  for (const [prefix, listOf] of [
    ['/applications/:appId/commands', () => globalList()],
    ['/applications/:appId/guilds/:guildId/commands', (guildId: string) => guildList(guildId)],
  ] as const) {
    const list = (params: Record<string, string>) => {
      applicationOr403(ctx, params.appId!);
      return listOf(params.guildId ?? '');
    };
    router
      .get(prefix, ({ params }) => ok(list(params)))
      .put(prefix, ({ params, body }) => {
        const current = list(params);
        if (!Array.isArray(body))
          throw DiscordErrors.invalidForm('_root', 'Expected an array of commands');
        // Bulk overwrite keeps the id of a command whose name already existed, like Discord.
        const next = recordArray(body).map((raw) =>
          toCommand(
            ctx,
            raw,
            current.find((c) => c.name === raw.name),
            params.guildId,
          ),
        );
        current.splice(0, current.length, ...next);
        return ok(current);
      })
      .post(prefix, ({ params, body }) => {
        const current = list(params);
        const raw = asRecord(body);
        const existing = current.find((c) => c.name === raw.name);
        const command = toCommand(ctx, raw, existing, params.guildId);
        if (existing) current.splice(current.indexOf(existing), 1, command);
        else current.push(command);
        return existing ? ok(command) : created(command);
      })
      .get(`${prefix}/:commandId`, ({ params }) =>
        ok(commandOr404(list(params), params.commandId!)),
      )
      .patch(`${prefix}/:commandId`, ({ params, body }) => {
        const current = list(params);
        const existing = commandOr404(current, params.commandId!);
        const command = toCommand(
          ctx,
          { ...existing, ...asRecord(body) },
          existing,
          params.guildId,
        );
        current.splice(current.indexOf(existing), 1, command);
        return ok(command);
      })
      .delete(`${prefix}/:commandId`, ({ params }) => {
        const current = list(params);
        current.splice(current.indexOf(commandOr404(current, params.commandId!)), 1);
        return noContent();
      });
  }
}

function commandOr404(list: APIApplicationCommand[], id: string): APIApplicationCommand {
  const command = list.find((c) => c.id === id);
  if (!command) throw DiscordErrors.unknownCommand();
  return command;
}

const COMMAND_NAME = /^[-_\p{L}\p{N}]{1,32}$/u;

function toCommand(
  ctx: RouteContext,
  raw: JsonObject,
  existing: APIApplicationCommand | undefined,
  guildId: string | undefined,
): APIApplicationCommand {
  const type = optionalNumber(raw.type) ?? ApplicationCommandType.ChatInput;
  const name = optionalString(raw.name) ?? '';
  const description = optionalString(raw.description) ?? '';
  if (
    !COMMAND_NAME.test(name) ||
    (type === ApplicationCommandType.ChatInput && name !== name.toLowerCase())
  ) {
    throw DiscordErrors.invalidForm('name', `Command name is invalid: "${name}"`);
  }
  if (
    type === ApplicationCommandType.ChatInput &&
    (description.length < 1 || description.length > 100)
  ) {
    throw DiscordErrors.invalidForm('description', 'Must be between 1 and 100 in length.');
  }
  const permissions = raw.default_member_permissions;
  return {
    id: existing?.id ?? ctx.world.ids.next(),
    application_id: ctx.world.applicationId,
    version: ctx.world.ids.next(),
    type,
    name,
    name_localizations: isRecord(raw.name_localizations) ? raw.name_localizations : null,
    description,
    description_localizations: isRecord(raw.description_localizations)
      ? raw.description_localizations
      : null,
    // Options are kept as the app declared them; interactions are built by the test helper.
    options: recordArray(raw.options) as unknown as APIApplicationCommandOption[],
    default_member_permissions: typeof permissions === 'string' ? permissions : null,
    nsfw: raw.nsfw === true,
    ...(guildId !== undefined ? { guild_id: guildId } : {}),
  };
}

/** The full application; READY only carries id and flags, so necord fetches this. */
function application(ctx: RouteContext): APIApplication {
  const { world, applicationFlags: flags } = ctx;
  return {
    id: world.applicationId,
    name: world.state.bot.username,
    icon: null,
    description: '',
    bot_public: false,
    bot_require_code_grant: false,
    bot: apiUser(world.state.bot),
    summary: '',
    verify_key: 'f'.repeat(64),
    team: null,
    flags,
    flags_new: String(flags),
    approximate_guild_count: world.state.guilds.size,
  };
}
