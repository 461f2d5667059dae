import {
  ArgumentMetadata,
  BadRequestException,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { errorBody } from './error-body';
import { assertPlainText } from './plain-text';

/** What the caller sent: REST body, query and path, GraphQL arguments (GqlParamtype.ARGS = 3). */
function isCallerInput(type: unknown): boolean {
  return type === 'body' || type === 'query' || type === 'param' || type === 3;
}

/** Text with control characters is refused (INVALID_TEXT) before any other rule looks at it. */
class PlainTextValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (isCallerInput(metadata.type)) assertPlainText(value, metadata.data ?? 'input');
    return super.transform(value, metadata);
  }
}

/**
 * Every body, query and argument of this edge: control characters refused (400 INVALID_TEXT),
 * unknown fields refused, values converted to their declared types, and a 400 whose message
 * names each offending field, one message per field.
 */
export function strictValidation(): ValidationPipe {
  return new PlainTextValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) =>
      new BadRequestException(
        errorBody(400, 'VALIDATION_FAILED', flatten(errors), {
          fields: errors.map((error) => error.property),
        }),
      ),
  });
}

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const text = messageOf(error);
    const own = text
      ? [
          text.startsWith(error.property)
            ? `${path}${text.slice(error.property.length)}`
            : `${path}: ${text}`,
        ]
      : [];
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/**
 * One message per field, the one that tells the caller what to do: a missing field is
 * "required" (not also too short and too long); otherwise the first declared rule it breaks,
 * usually its type (class-validator lists constraints last-declared first).
 */
function messageOf(error: ValidationError): string | null {
  const constraints = error.constraints ?? {};
  const texts = Object.values(constraints);
  if (texts.length === 0) return null;
  if (error.value === undefined && !('whitelistValidation' in constraints)) {
    return `${error.property} is required`;
  }
  return texts[texts.length - 1];
}
