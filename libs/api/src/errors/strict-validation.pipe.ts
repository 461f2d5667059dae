import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { errorBody } from './error-body';

/**
 * Every body and query of this edge: unknown fields refused, values converted to their
 * declared types, and a 400 with one message per offending field, naming it.
 */
export function strictValidation(): ValidationPipe {
  return new ValidationPipe({
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
