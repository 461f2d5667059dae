import {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  valueFromASTUntyped,
} from 'graphql';

/**
 * What the operation that will run costs, measured on the document before any resolver (and
 * before graphql-js validation) with its variables:
 * - depth: nested field levels (introspection `__` fields excluded, so tools work);
 * - complexity: one per field, a field's children multiplied by its `first` argument (the page
 *   size of every paginated list in this schema); introspection counted, `__schema` and `__type`
 *   weighted by the size of what they answer;
 * - aliases, directives: occurrences in the operation as it runs (a fragment spread twice
 *   counts twice; a list's page size does not multiply them);
 * - rootFields: fields selected at the operation's top level, each a resolver call at least.
 */
export interface QueryCost {
  depth: number;
  complexity: number;
  aliases: number;
  directives: number;
  rootFields: number;
}

/** A list field without `first` is costed as if it returned this many items. */
const DEFAULT_LIST_SIZE = 10;

/**
 * `__schema` answers the whole schema, `__type` one type: on top of their selected fields, weighted so
 * that `getIntrospectionQuery()` (about 270) fits the budget and a flood of aliases of it does not.
 */
const INTROSPECTION_WEIGHT: Record<string, number> = { __schema: 50, __type: 5 };

const ZERO: QueryCost = { depth: 0, complexity: 0, aliases: 0, directives: 0, rootFields: 0 };

/**
 * Measures the operation. Each fragment is measured once and its cost reused at every spread, so
 * the work is linear in the document's size however the fragments nest (a fragment that spreads
 * the previous one twice, twenty levels deep, costs 2^20 here but takes microseconds to measure).
 */
export function measureOperation(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> = {},
): QueryCost {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    } else if (definition.kind === Kind.OPERATION_DEFINITION) {
      if (!operationName || definition.name?.value === operationName) operation ??= definition;
    }
  }
  if (!operation) return { ...ZERO };

  const fragmentCosts = new Map<string, QueryCost>();
  const measuring = new Set<string>();

  const fragmentCost = (name: string): QueryCost => {
    const known = fragmentCosts.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    // A fragment spread inside itself is invalid GraphQL; validation reports it, we stop.
    if (!fragment || measuring.has(name)) return ZERO;
    measuring.add(name);
    const cost = walk(fragment.selectionSet);
    cost.directives += fragment.directives?.length ?? 0;
    measuring.delete(name);
    fragmentCosts.set(name, cost);
    return cost;
  };

  const walk = (set: SelectionSetNode): QueryCost => {
    const total = { ...ZERO };
    for (const selection of set.selections) {
      let cost: QueryCost;
      if (selection.kind === Kind.FIELD) {
        cost = fieldCost(selection);
        total.rootFields += 1;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        cost = walk(selection.selectionSet);
        total.rootFields += cost.rootFields;
      } else {
        cost = fragmentCost(selection.name.value);
        total.rootFields += cost.rootFields;
      }
      total.depth = Math.max(total.depth, cost.depth);
      total.complexity += cost.complexity;
      total.aliases += cost.aliases;
      total.directives += cost.directives + (selection.directives?.length ?? 0);
    }
    return total;
  };

  const fieldCost = (field: FieldNode): QueryCost => {
    const name = field.name.value;
    const introspection = name.startsWith('__');
    const own = 1 + (INTROSPECTION_WEIGHT[name] ?? 0);
    const alias = field.alias && field.alias.value !== name ? 1 : 0;
    if (!field.selectionSet) {
      return { ...ZERO, depth: introspection ? 0 : 1, complexity: own, aliases: alias };
    }
    const inner = walk(field.selectionSet);
    const size = introspection ? 1 : listSize(field, variables);
    return {
      depth: introspection ? 0 : inner.depth + 1,
      complexity: own + inner.complexity * size,
      aliases: alias + inner.aliases,
      directives: inner.directives,
      rootFields: 0,
    };
  };

  return walk(operation.selectionSet);
}

function listSize(field: FieldNode, variables: Record<string, unknown>): number {
  const first = field.arguments?.find((argument) => argument.name.value === 'first');
  if (!first) return 1;
  const value = valueFromASTUntyped(first.value, variables);
  return typeof value === 'number' && value > 0 ? Math.min(value, 1_000) : DEFAULT_LIST_SIZE;
}
