/**
 * How the gateway executes GraphQL: graphql-jit through @envelop/graphql-jit, which compiles each
 * query once and runs it as plain JavaScript (a body's 50-appeal inbox cost about 4× a trivial request
 * in graphql-js's execution alone; ~20 % of the whole inbox request less with the compiled executor).
 *
 * graphql-jit coerces variables itself, with messages that name an input's inner field as if it were
 * a variable and that drop a scalar's own reason (the DateTime scalar's "with a zone"). So variables
 * are coerced first by graphql-js, exactly as without the compiled executor: a bad variable is refused
 * there with graphql-js's message and path, and its scalar's DomainError code (see errors.ts).
 */
import { useGraphQlJit } from '@envelop/graphql-jit';
import { type ExecutionResult, GraphQLError, getOperationAST, getVariableValues, type Source } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { maskError } from './errors.js';

const UNEXPECTED = 'Unexpected error.';

const coerceVariablesFirst: Plugin = {
  onExecute({ args, setResultAndStopExecution }) {
    const operation = getOperationAST(args.document, args.operationName);
    if (!operation?.variableDefinitions?.length) return;
    const coerced = getVariableValues(args.schema, operation.variableDefinitions, args.variableValues ?? {}, {
      maxErrors: 50,
    });
    // Stopped here, the result skips Yoga's mask: masked the same way by hand.
    if (coerced.errors)
      setResultAndStopExecution({
        errors: coerced.errors.map((e) => maskError(e, UNEXPECTED) as GraphQLError),
      });
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
