import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';

/** The node request and response behind a Hono context, when @hono/node-server is serving it. */
export function nodeBindings(c: Context): HttpBindings | null {
  const env = c.env as Partial<HttpBindings> | undefined;
  return env?.incoming && env.outgoing && 'statusCode' in env.outgoing ? (env as HttpBindings) : null;
}

/**
 * One request header. Under node it is read from the parsed node headers: `c.req.header()` would
 * first build a WHATWG `Headers` of every header, a cost paid on each request.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const node = nodeBindings(c);
  if (!node) return c.req.header(name);
  const value = node.incoming.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}
