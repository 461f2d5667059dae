import type { ResponseParameters } from 'telegraf/types';
import type { BotApiErrorShape } from './fake-telegram.types';

/**
 * An error the fake answers with, in the real API's shape. Method handlers throw it; the router turns it
 * into `{ ok: false, error_code, description }` with the same HTTP status, as api.telegram.org does.
 */
export class BotApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(description);
    this.name = 'BotApiError';
  }

  toShape(): BotApiErrorShape {
    return {
      error_code: this.errorCode,
      description: this.description,
      ...(this.parameters ? { parameters: this.parameters } : {}),
    };
  }
}

export function badRequest(detail: string): BotApiError {
  return new BotApiError(400, `Bad Request: ${detail}`);
}

export function unauthorized(): BotApiError {
  return new BotApiError(401, 'Unauthorized');
}

export function methodNotFound(): BotApiError {
  return new BotApiError(404, 'Not Found: method not found');
}

export function chatNotFound(): BotApiError {
  return badRequest('chat not found');
}
