import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const LIMIT = `integers from -${Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}`;

function safeInteger(value: unknown, what: string): number {
  const number =
    typeof value === 'bigint' || (typeof value === 'string' && /^-?\d+$/.test(value))
      ? Number(value)
      : value;
  if (typeof number === 'number' && Number.isSafeInteger(number)) {
    // Out of Number's exact range a bigint or string rounds; compare back to be sure.
    if (typeof value !== 'number' && BigInt(value as string) !== BigInt(number)) {
      throw new GraphQLError(`SafeInt cannot represent ${what} ${String(value)}: ${LIMIT}`);
    }
    return number;
  }
  throw new GraphQLError(`SafeInt cannot represent ${what} ${String(value)}: ${LIMIT}`);
}

/**
 * XP and coins: whole numbers as JSON numbers, exact up to 2^53-1 (JavaScript's safe integers),
 * where GraphQL's Int stops at 2^31-1 while Postgres holds bigint. Totals beyond 2^53-1 are
 * refused by the ledger, so every stored value serializes.
 */
export const SafeIntScalar = new GraphQLScalarType({
  name: 'SafeInt',
  description: `A whole number sent as a JSON number: ${LIMIT} (2^53-1). Used for every XP and coin amount.`,
  serialize: (value) => safeInteger(value, 'value'),
  parseValue: (value) => {
    if (typeof value !== 'number') {
      throw new GraphQLError(`SafeInt must be a JSON number: ${LIMIT}`);
    }
    return safeInteger(value, 'value');
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.INT) throw new GraphQLError(`SafeInt must be a whole number: ${LIMIT}`);
    return safeInteger(ast.value, 'literal');
  },
});
