import { GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';

/**
 * Whether the field being resolved selects `name` directly under it (by its name, whatever the
 * alias; through inline fragments and fragment spreads). Lets a resolver skip a costly part of
 * its answer that the query does not ask for.
 */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  const seen = new Set<string>();
  const inSet = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((selection) => {
      switch (selection.kind) {
        case Kind.FIELD:
          return selection.name.value === name;
        case Kind.INLINE_FRAGMENT:
          return inSet(selection.selectionSet);
        case Kind.FRAGMENT_SPREAD: {
          const fragment = selection.name.value;
          // A fragment cycle is refused by validation; the guard keeps this total anyway.
          if (seen.has(fragment)) return false;
          seen.add(fragment);
          return inSet(info.fragments[fragment]?.selectionSet);
        }
      }
    });
  return info.fieldNodes.some((node) => inSet(node.selectionSet));
}
