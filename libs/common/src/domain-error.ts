/**
 * An expected failure of a business rule, with a stable code. The core throws these, never HTTP
 * exceptions; each edge (GraphQL, REST, Telegram, Discord) maps codes to its own answer with an
 * exhaustive switch. `details` carries what an answer may show (e.g. retryAfterSeconds).
 */
export class DomainError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    readonly details: Record<string, string | number | boolean | null> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
