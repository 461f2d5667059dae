/**
 * Discord's JSON errors: `{ message, code }` with the HTTP status Discord uses. discord.js turns
 * them into a DiscordAPIError whose `code` the app branches on (10007 Unknown Member, ...), so
 * the numbers must be the real ones.
 */
export class DiscordHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: unknown,
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return {
      message: this.message,
      code: this.code,
      ...(this.errors !== undefined ? { errors: this.errors } : {}),
    };
  }
}

export const DiscordErrors = {
  unauthorized: () => new DiscordHttpError(401, 0, '401: Unauthorized'),
  notFound: () => new DiscordHttpError(404, 0, '404: Not Found'),
  methodNotAllowed: () => new DiscordHttpError(405, 0, '405: Method Not Allowed'),
  unknownApplication: () => new DiscordHttpError(404, 10002, 'Unknown Application'),
  unknownChannel: () => new DiscordHttpError(404, 10003, 'Unknown Channel'),
  unknownGuild: () => new DiscordHttpError(404, 10004, 'Unknown Guild'),
  unknownMember: () => new DiscordHttpError(404, 10007, 'Unknown Member'),
  unknownMessage: () => new DiscordHttpError(404, 10008, 'Unknown Message'),
  unknownRole: () => new DiscordHttpError(404, 10011, 'Unknown Role'),
  unknownUser: () => new DiscordHttpError(404, 10013, 'Unknown User'),
  unknownWebhook: () => new DiscordHttpError(404, 10015, 'Unknown Webhook'),
  unknownCommand: () => new DiscordHttpError(404, 10063, 'Unknown application command'),
  unknownInteraction: () => new DiscordHttpError(404, 10062, 'Unknown interaction'),
  unknownVoiceState: () => new DiscordHttpError(404, 10065, 'Unknown Voice State'),
  missingAccess: () => new DiscordHttpError(403, 50001, 'Missing Access'),
  missingPermissions: () => new DiscordHttpError(403, 50013, 'Missing Permissions'),
  cannotSendToUser: () => new DiscordHttpError(403, 50007, 'Cannot send messages to this user'),
  emptyMessage: () => new DiscordHttpError(400, 50006, 'Cannot send an empty message'),
  alreadyAcknowledged: () =>
    new DiscordHttpError(400, 40060, 'Interaction has already been acknowledged.'),
  invalidForm: (field: string, problem: string) =>
    new DiscordHttpError(400, 50035, 'Invalid Form Body', {
      [field]: { _errors: [{ code: 'BASE_TYPE_INVALID', message: problem }] },
    }),
} as const;
