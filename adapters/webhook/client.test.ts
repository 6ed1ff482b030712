import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { sendSigned } from './client.js';

/**
 * A body's server over plain TCP that keeps connections alive but, like a server whose keep-alive
 * timeout fires just as the gateway reuses the idle socket, resets a connection on its second
 * request instead of answering it. A new connection is answered.
 */
function resettingServer() {
  const requestsPerSocket = new Map<Socket, number>();
  let connections = 0;
  let answered = 0;
  const server = createServer((socket) => {
    connections++;
    requestsPerSocket.set(socket, 0);
    socket.on('data', (chunk) => {
      if (!chunk.toString('latin1').includes('\r\n\r\n')) return;
      const n = (requestsPerSocket.get(socket) ?? 0) + 1;
      requestsPerSocket.set(socket, n);
      if (n > 1) {
        socket.resetAndDestroy();
        return;
      }
      answered++;
      const body = '{"ok":true}';
      socket.write(
        `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n${body}`,
      );
    });
    socket.on('error', () => {});
  });
  return { server, stats: () => ({ connections, answered }), sockets: () => [...requestsPerSocket.keys()] };
}

let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

it('sends again on a new connection when a kept-alive socket is reset as it is reused', async () => {
  const { server, stats, sockets } = resettingServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets()) socket.destroy(); // the gateway's agent keeps its socket open
    });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const send = () =>
    sendSigned({
      method: 'POST',
      url: `http://127.0.0.1:${port}/appeals`,
      body: '{"appeal":"x"}',
      secret: 'secret-0123456789',
      timeoutMs: 5_000,
      signal: new AbortController().signal,
    });
  const first = await send();
  expect(first).toMatchObject({ ok: true, reply: { status: 200 } });
  const second = await send(); // takes the kept-alive socket, which the server resets
  expect(second).toMatchObject({ ok: true, reply: { status: 200, text: '{"ok":true}' } });
  expect(stats()).toEqual({ connections: 2, answered: 2 });
});
