import { ValidateBy, ValidationOptions } from 'class-validator';

const MAX_SNOWFLAKE = 2n ** 64n - 1n;

/** A Discord id: 17-20 digits that fit in 64 bits (99999999999999999999 does not). */
export function isSnowflake(value: unknown): value is string {
  return typeof value === 'string' && /^\d{17,20}$/.test(value) && BigInt(value) <= MAX_SNOWFLAKE;
}

/** class-validator rule for a Discord snowflake (REST bodies and GraphQL inputs alike). */
export function IsSnowflake(options: ValidationOptions = {}): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSnowflake',
      validator: {
        validate: (value) => isSnowflake(value),
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be a Discord snowflake (a 64-bit id of 17-20 digits)`,
      },
    },
    options,
  );
}
