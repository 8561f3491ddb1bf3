// What Cloudflare's GraphQL endpoint accepts beyond the letter of GraphQL, so queries copied from its
// documentation run unchanged: variables used without being declared (the AI Gateway analytics example uses
// $limit, $start and $end in a bare `query { ... }`) take the type of the place they are used, and a variable
// declared with a built-in scalar (String, Int, Float, ID) may stand where Cloudflare's own scalar (string,
// uint64, float64, Time, Date) is expected. Everything else is validated as GraphQL says.
import {
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isListType,
  isNonNullType,
  Kind,
  type ListTypeNode,
  type NamedTypeNode,
  type OperationDefinitionNode,
  TypeInfo,
  type TypeNode,
  type VariableDefinitionNode,
  visit,
  visitWithTypeInfo,
} from 'graphql';

/** Built-in scalars and the schema scalars a variable of that type may fill. */
const stands: Record<string, readonly string[]> = {
  String: ['string', 'Time', 'Date'],
  ID: ['string'],
  Int: ['uint64', 'float64'],
  Float: ['float64'],
};

interface Usage {
  name: string;
  type: GraphQLInputType;
}

export function lenientVariables(schema: GraphQLSchema, document: DocumentNode): DocumentNode {
  const usages = new Map<string, Usage[]>();
  const spreads = new Map<string, Set<string>>();
  let current = '';
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      OperationDefinition: (node) => {
        current = operationKey(node);
      },
      FragmentDefinition: (node) => {
        current = `fragment ${node.name.value}`;
      },
      FragmentSpread: (node) => {
        const set = spreads.get(current) ?? new Set<string>();
        set.add(`fragment ${node.name.value}`);
        spreads.set(current, set);
      },
      VariableDefinition: () => false,
      Variable: (node) => {
        const type = typeInfo.getInputType();
        if (!type) return;
        const list = usages.get(current) ?? [];
        list.push({ name: node.name.value, type });
        usages.set(current, list);
      },
    }),
  );
  return visit(document, {
    OperationDefinition: (node) => {
      const used = usagesOf(operationKey(node), usages, spreads);
      const declared = new Map((node.variableDefinitions ?? []).map((d) => [d.variable.name.value, d]));
      const definitions: VariableDefinitionNode[] = (node.variableDefinitions ?? []).map((d) => {
        const usage = used.find((u) => u.name === d.variable.name.value);
        return usage ? widened(d, getNamedType(usage.type)) : d;
      });
      for (const usage of used) {
        if (declared.has(usage.name)) continue;
        const definition: VariableDefinitionNode = {
          kind: Kind.VARIABLE_DEFINITION,
          variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: usage.name } },
          type: typeNode(usage.type),
        };
        declared.set(usage.name, definition);
        definitions.push(definition);
      }
      return { ...node, variableDefinitions: definitions } satisfies OperationDefinitionNode;
    },
  });
}

function operationKey(node: OperationDefinitionNode): string {
  return `operation ${node.name?.value ?? ''}`;
}

function usagesOf(key: string, usages: Map<string, Usage[]>, spreads: Map<string, Set<string>>): Usage[] {
  const seen = new Set<string>();
  const out: Usage[] = [];
  const walk = (k: string) => {
    if (seen.has(k)) return;
    seen.add(k);
    out.push(...(usages.get(k) ?? []));
    for (const next of spreads.get(k) ?? []) walk(next);
  };
  walk(key);
  return out;
}

/** The definition with its built-in scalar replaced by the schema scalar it stands for, wrappers kept. */
function widened(definition: VariableDefinitionNode, target: GraphQLNamedType): VariableDefinitionNode {
  const rename = (node: TypeNode): TypeNode => {
    if (node.kind === Kind.NAMED_TYPE) {
      return stands[node.name.value]?.includes(target.name)
        ? { ...node, name: { ...node.name, value: target.name } }
        : node;
    }
    if (node.kind === Kind.LIST_TYPE) return { ...node, type: rename(node.type) };
    return { ...node, type: rename(node.type) as NamedTypeNode | ListTypeNode };
  };
  return { ...definition, type: rename(definition.type) };
}

function typeNode(type: GraphQLInputType): TypeNode {
  if (isNonNullType(type))
    return { kind: Kind.NON_NULL_TYPE, type: typeNode(type.ofType) as NamedTypeNode | ListTypeNode };
  if (isListType(type)) return { kind: Kind.LIST_TYPE, type: typeNode(type.ofType as GraphQLInputType) };
  return { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: type.name } };
}
