import {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  valueFromASTUntyped,
} from 'graphql';

export interface QueryCost {
  depth: number;
  complexity: number;
}

/** A list field without `first` is costed as if it returned this many items. */
const DEFAULT_LIST_SIZE = 10;

/**
 * Depth and complexity of the operation that will run, with its variables, before any resolver:
 * depth counts nested field levels (introspection `__` fields excluded, so tools work);
 * complexity counts one per field and multiplies a field's children by its `first` argument,
 * the page size of every paginated list in this schema.
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
  if (!operation) return { depth: 0, complexity: 0 };

  const walk = (set: SelectionSetNode, seen: ReadonlySet<string>): QueryCost => {
    let depth = 0;
    let complexity = 0;
    for (const selection of set.selections) {
      let cost: QueryCost;
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        cost = fieldCost(selection, seen);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        cost = walk(selection.selectionSet, seen);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // A fragment spread inside itself is invalid GraphQL; validation reports it, we stop.
        if (!fragment || seen.has(name)) continue;
        cost = walk(fragment.selectionSet, new Set([...seen, name]));
      }
      depth = Math.max(depth, cost.depth);
      complexity += cost.complexity;
    }
    return { depth, complexity };
  };

  const fieldCost = (field: FieldNode, seen: ReadonlySet<string>): QueryCost => {
    if (!field.selectionSet) return { depth: 1, complexity: 1 };
    const inner = walk(field.selectionSet, seen);
    return {
      depth: inner.depth + 1,
      complexity: 1 + inner.complexity * listSize(field, variables),
    };
  };

  return walk(operation.selectionSet, new Set());
}

function listSize(field: FieldNode, variables: Record<string, unknown>): number {
  const first = field.arguments?.find((argument) => argument.name.value === 'first');
  if (!first) return 1;
  const value = valueFromASTUntyped(first.value, variables);
  return typeof value === 'number' && value > 0 ? Math.min(value, 1_000) : DEFAULT_LIST_SIZE;
}
