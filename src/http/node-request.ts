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

/** The client went away before its body arrived: nobody is left to answer. */
export class ClientAbortedError extends Error {
  constructor() {
    super('the client closed the connection before its request body arrived');
  }
}

/** The body is larger than the caller allows. */
export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the body exceeds ${maxBytes} bytes`);
  }
}

/**
 * The request body, refused with BodyTooLargeError past `maxBytes` (a declared Content-Length is
 * checked before anything is read). Under node it is read straight from the node request: Hono's
 * `c.req.arrayBuffer()` goes through a WHATWG stream made from it, which for a 37 MB batch cost a
 * few hundred milliseconds of chunk-by-chunk promise work before parsing could start. Elsewhere
 * (`app.request()`, other runtimes) the WHATWG body is read, counted as it comes.
 */
export async function readBody(c: Context, maxBytes: number): Promise<Buffer> {
  const declared = Number.parseInt(requestHeader(c, 'content-length') ?? '', 10);
  if (declared > maxBytes) throw new BodyTooLargeError(maxBytes);
  const node = nodeBindings(c);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const take = (chunk: Uint8Array) => {
    size += chunk.length;
    if (size > maxBytes) throw new BodyTooLargeError(maxBytes);
    chunks.push(chunk);
  };
  if (node) {
    const incoming = node.incoming;
    await new Promise<void>((resolve, reject) => {
      const stop = (err?: Error) => {
        incoming
          .off('data', onData)
          .off('end', onEnd)
          .off('error', stop)
          .off('aborted', onAborted)
          .off('close', onClose);
        if (err) {
          // What is left unread is discarded when the answer has gone (@hono/node-server cleans up).
          incoming.pause();
          reject(err);
        } else resolve();
      };
      const onData = (chunk: Buffer) => {
        try {
          take(chunk);
        } catch (err) {
          stop(err as Error);
        }
      };
      const onEnd = () => stop();
      const onAborted = () => stop(new ClientAbortedError());
      // 'aborted' is deprecated; a request closed before it completed is the same thing.
      const onClose = () => (incoming.complete ? stop() : stop(new ClientAbortedError()));
      incoming
        .on('data', onData)
        .on('end', onEnd)
        .on('error', stop)
        .on('aborted', onAborted)
        .on('close', onClose);
    });
  } else {
    const reader = c.req.raw.body?.getReader();
    for (let read = await reader?.read(); read && !read.done; read = await reader?.read()) {
      try {
        take(read.value);
      } catch (err) {
        await reader?.cancel();
        throw err;
      }
    }
  }
  return Buffer.concat(chunks, size);
}
