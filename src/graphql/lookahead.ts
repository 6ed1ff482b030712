/**
 * Which fields a query asks for below a field, before they resolve: so that a list reads only the
 * columns its items will show. Fragments and inline fragments are followed; @skip/@include are not
 * evaluated (a field under either counts as asked for: reading a column too many is harmless).
 */
import type { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';

/**
 * The names of the fields asked for at `path` below the resolving field (for a connection:
 * `['edges', 'node']`); empty when the query asks for nothing there (a connection's total alone).
 */
export function fieldsAt(
  info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>,
  path: readonly string[],
) {
  let level: readonly SelectionSetNode[] = info.fieldNodes.flatMap((f) =>
    f.selectionSet ? [f.selectionSet] : [],
  );
  for (const name of path) {
    level = fieldsOf(level, info.fragments)
      .filter((f) => f.name.value === name)
      .flatMap((f) => (f.selectionSet ? [f.selectionSet] : []));
  }
  return new Set(fieldsOf(level, info.fragments).map((f) => f.name.value));
}

function fieldsOf(
  sets: readonly SelectionSetNode[],
  fragments: Record<string, FragmentDefinitionNode>,
  seen = new Set<string>(),
): FieldNode[] {
  const out: FieldNode[] = [];
  for (const set of sets) {
    for (const selection of set.selections) {
      if (selection.kind === 'Field') out.push(selection);
      else if (selection.kind === 'InlineFragment')
        out.push(...fieldsOf([selection.selectionSet], fragments, seen));
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments[selection.name.value];
        if (fragment) out.push(...fieldsOf([fragment.selectionSet], fragments, seen));
      }
    }
  }
  return out;
}
