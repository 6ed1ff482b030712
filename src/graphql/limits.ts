/**
 * What one GraphQL operation may ask for, checked while it is parsed and validated, before any
 * resolver runs (graphql-armor's envelop plugins). Each refusal is a GraphQL error with a stable
 * `extensions.code` and HTTP 400. Page sizes are bounded per field (`first`), not here.
 */

import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** The deepest legitimate query (appeal → assignments → agency → parent …) nests 6 levels. */
export const MAX_DEPTH = 10;
export const MAX_ALIASES = 15;
export const MAX_DIRECTIVES = 20;
/** Lexer tokens in one document: the largest query the operators' tools send is under 400. */
export const MAX_TOKENS = 2_000;
/**
 * graphql-armor's cost: 2 per object, 1 per scalar, × 1.5 per level of depth. A body's 50-appeal
 * inbox with copies, bodies and the last change costs about 5,200; room for twice that and more.
 */
export const MAX_COST = 20_000;

export const LIMIT_CODES = {
  depth: 'QUERY_TOO_DEEP',
  aliases: 'TOO_MANY_ALIASES',
  directives: 'TOO_MANY_DIRECTIVES',
  tokens: 'TOO_MANY_TOKENS',
  cost: 'QUERY_TOO_COSTLY',
} as const;

/** armor's own errors say "Syntax Error: …" and carry no code; this throws ours instead. */
function refuse(code: string) {
  return [
    (_ctx: unknown, error: GraphQLError) => {
      throw new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
        extensions: { code, http: { status: 400 } },
      });
    },
  ];
}

const OUR_CODES = new Set<unknown>(Object.values(LIMIT_CODES));

/**
 * Yoga marks every parse error `http.spec`, which answers 200 to `Accept: application/json`; the
 * token limit is refused while parsing and must answer 400 like the other limits.
 */
const limitStatusOnParse: Plugin = {
  onResultProcess({ result }) {
    if (Array.isArray(result) || Symbol.asyncIterator in result) return;
    for (const error of result.errors ?? []) {
      if (!OUR_CODES.has(error.extensions?.code)) continue;
      const http = error.extensions?.http as { spec?: boolean } | undefined;
      if (http) http.spec = false;
    }
  },
};

export interface LimitOptions {
  /** Production: no introspection, no "did you mean" field suggestions. */
  production: boolean;
}

export function limitPlugins({ production }: LimitOptions): Plugin[] {
  const plugins: Plugin[] = [
    EnvelopArmorPlugin({
      maxDepth: { n: MAX_DEPTH, onReject: refuse(LIMIT_CODES.depth), propagateOnRejection: false },
      maxAliases: { n: MAX_ALIASES, onReject: refuse(LIMIT_CODES.aliases), propagateOnRejection: false },
      maxDirectives: {
        n: MAX_DIRECTIVES,
        onReject: refuse(LIMIT_CODES.directives),
        propagateOnRejection: false,
      },
      maxTokens: { n: MAX_TOKENS, onReject: refuse(LIMIT_CODES.tokens), propagateOnRejection: false },
      costLimit: { maxCost: MAX_COST, onReject: refuse(LIMIT_CODES.cost), propagateOnRejection: false },
      // Suggestions name fields a caller did not know: a map of the schema for whoever probes it.
      blockFieldSuggestion: { enabled: production },
    }) as Plugin,
    limitStatusOnParse,
  ];
  if (production) plugins.push(useDisableIntrospection() as Plugin);
  return plugins;
}
