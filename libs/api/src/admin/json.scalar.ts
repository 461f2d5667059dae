import { GraphQLScalarType, Kind, ValueNode } from 'graphql';

/** Free-form JSON for payloads and per-kind counters (output only in this schema). */
const GraphQLJSON = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: function parse(ast: ValueNode): unknown {
    switch (ast.kind) {
      case Kind.STRING:
      case Kind.BOOLEAN:
        return ast.value;
      case Kind.INT:
      case Kind.FLOAT:
        return Number(ast.value);
      case Kind.OBJECT:
        return Object.fromEntries(
          ast.fields.map((field) => [field.name.value, parse(field.value)]),
        );
      case Kind.LIST:
        return ast.values.map(parse);
      case Kind.NULL:
      case Kind.VARIABLE:
      case Kind.ENUM:
        return null;
    }
  },
});

export default GraphQLJSON;
