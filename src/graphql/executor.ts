/**
 * How the gateway executes GraphQL: graphql-jit through @envelop/graphql-jit, which compiles each
 * query once and runs it as plain JavaScript (a body's 50-appeal inbox cost about 4× a trivial request
 * in graphql-js's execution alone; ~20 % of the whole inbox request less with the compiled executor).
 *
 * graphql-jit coerces variables itself, with messages that name an input's inner field as if it were
 * a variable and that drop a scalar's own reason (the DateTime scalar's "with a zone"), and it hands
 * on an explicit null for a defaulted variable that stands where a value is required. So variables
 * are coerced first by graphql-js, as without the compiled executor: a bad variable is refused there
 * with graphql-js's message and path, its scalar's DomainError code (see errors.ts) and HTTP 400, and
 * such a null is refused the same way.
 */
import { useGraphQlJit } from '@envelop/graphql-jit';
import {
  type DocumentNode,
  type ExecutionResult,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  getVariableValues,
  isNonNullType,
  type Source,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { maskError } from './errors.js';

const UNEXPECTED = 'Unexpected error.';

/**
 * The variables of a document that stand where a value is required (a non-null argument, input field
 * or list item): a nullable variable with a default may stand there, and graphql-js then refuses an
 * explicit null for it at execution; graphql-jit would hand the null on. Computed once per document.
 */
const requiredVariables = new WeakMap<DocumentNode, ReadonlySet<string>>();

function requiredVariablesOf(schema: GraphQLSchema, document: DocumentNode): ReadonlySet<string> {
  let names = requiredVariables.get(document);
  if (!names) {
    const found = new Set<string>();
    const typeInfo = new TypeInfo(schema);
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        VariableDefinition: () => false, // the definition's own $name is not a use
        Variable(node) {
          if (isNonNullType(typeInfo.getInputType())) found.add(node.name.value);
        },
      }),
    );
    names = found;
    requiredVariables.set(document, names);
  }
  return names;
}

/** A refusal of the client's variables, masked as every error is, with the 400 graphql-js answers. */
const refused = (errors: readonly GraphQLError[]) => ({
  errors: errors.map((e) => {
    const masked = maskError(e, UNEXPECTED) as GraphQLError;
    return new GraphQLError(masked.message, {
      nodes: masked.nodes,
      source: masked.source,
      positions: masked.positions,
      path: masked.path,
      originalError: masked.originalError,
      extensions: { ...masked.extensions, http: { status: 400 } },
    });
  }),
});

const coerceVariablesFirst: Plugin = {
  onExecute({ args, setResultAndStopExecution }) {
    const operation = getOperationAST(args.document, args.operationName);
    if (!operation?.variableDefinitions?.length) return;
    const values = (args.variableValues ?? {}) as Record<string, unknown>;
    const coerced = getVariableValues(args.schema, operation.variableDefinitions, values, { maxErrors: 50 });
    // Stopped here, the result skips Yoga's mask: masked the same way by hand.
    if (coerced.errors) return setResultAndStopExecution(refused(coerced.errors));
    const nulls = [...requiredVariablesOf(args.schema, args.document)].filter(
      (name) => values[name] === null,
    );
    if (nulls.length)
      setResultAndStopExecution(
        refused(
          nulls.map(
            (name) =>
              new GraphQLError(`Variable "$${name}" stands where a value is required and must not be null.`, {
                nodes: operation.variableDefinitions?.find((d) => d.variable.name.value === name),
              }),
          ),
        ),
      );
  },
};

/** The offset in `source` of a 1-based line and column (graphql-js counts \r\n, \n and \r as line ends). */
function offsetOf(source: Source, line: number, column: number): number {
  let offset = 0;
  const ends = /\r\n|[\n\r]/g;
  for (let l = 1; l < line; l++) {
    const end = ends.exec(source.body);
    if (!end) break;
    offset = end.index + end[0].length;
  }
  return offset + column - 1;
}

/**
 * graphql-jit's errors carry `locations` but not the query's AST nodes, and Yoga rebuilds every error
 * from its nodes (or source and positions) when it answers: the locations were lost. Each such error
 * is given the query's source and its positions instead, before Yoga's mask sees it.
 */
const locatedErrors: Plugin = {
  onExecute({ args }) {
    const source = args.document.loc?.source;
    if (!source) return;
    return {
      onExecuteDone({ result, setResult }) {
        if (!('errors' in result) || !result.errors?.length) return;
        const errors = result.errors.map((e) =>
          !e.nodes && !e.source && e.locations?.length
            ? new GraphQLError(e.message, {
                source,
                positions: e.locations.map((l: { line: number; column: number }) =>
                  offsetOf(source, l.line, l.column),
                ),
                path: e.path,
                originalError: e.originalError,
                extensions: e.extensions,
              })
            : e,
        );
        setResult({ ...(result as ExecutionResult), errors });
      },
    };
  },
};

export function executorPlugins(): Plugin[] {
  return [coerceVariablesFirst, locatedErrors, useGraphQlJit() as Plugin];
}
