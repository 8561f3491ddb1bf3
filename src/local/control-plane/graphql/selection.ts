// The fields a selection set asks for, through fragments and honouring @skip / @include: the resolver of a
// grouped dataset must know which dimensions to group by before it can compute anything.
import {
  type FieldNode,
  GraphQLIncludeDirective,
  type GraphQLResolveInfo,
  GraphQLSkipDirective,
  getDirectiveValues,
  Kind,
  type SelectionSetNode,
} from 'graphql';

export function collectFieldNames(
  set: SelectionSetNode | undefined,
  info: GraphQLResolveInfo,
  seen = new Set<string>(),
): { name: string; node: FieldNode }[] {
  const out: { name: string; node: FieldNode }[] = [];
  for (const selection of set?.selections ?? []) {
    if (!included(selection, info)) continue;
    if (selection.kind === Kind.FIELD) out.push({ name: selection.name.value, node: selection });
    else if (selection.kind === Kind.INLINE_FRAGMENT)
      out.push(...collectFieldNames(selection.selectionSet, info, seen));
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = info.fragments[selection.name.value];
      if (fragment) out.push(...collectFieldNames(fragment.selectionSet, info, seen));
    }
  }
  return out;
}

function included(node: Parameters<typeof getDirectiveValues>[1], info: GraphQLResolveInfo): boolean {
  const skip = getDirectiveValues(GraphQLSkipDirective, node, info.variableValues);
  if (skip?.if === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues);
  return include?.if !== false;
}
