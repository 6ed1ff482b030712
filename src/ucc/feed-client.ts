/**
 * Client of the Government Contact Center's (UCC) feed of appeals for the region: plain HTTP,
 * `GET <feed>?after=<cursor>&limit=<n>` with a bearer token, answered by a 1207 `<AppealBatch>`
 * whose `cursor` attribute says where the next page starts. Transport only: no parsing of appeals.
 */
export interface FeedPage {
  /**
   * The raw XML of the page, fed to the same reader as `POST /intake/gov-line`; the AppealBatch's
   * `cursor` attribute is where the next page starts (equal to the one sent when nothing is new).
   */
  body: Buffer;
}

export interface FeedClientOptions {
  feedUrl: string;
  token: string | null;
  timeoutMs?: number;
  /** Largest page accepted, in bytes (the same cap as a pushed batch, `INTAKE_MAX_BYTES`). */
  maxBytes?: number;
  fetch?: typeof fetch;
}

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

export class FeedError extends Error {
  override readonly name = 'FeedError';
  constructor(
    message: string,
    readonly status: number | null,
    /** The page was larger than `maxBytes`: fewer messages a page may pass. */
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

export async function fetchFeedPage(
  opts: FeedClientOptions,
  after: string | null,
  limit: number,
): Promise<FeedPage> {
  const url = new URL(opts.feedUrl);
  if (after !== null) url.searchParams.set('after', after);
  url.searchParams.set('limit', String(limit));
  const res = await (opts.fetch ?? fetch)(url, {
    headers: { accept: 'application/xml', ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
    signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
  }).catch((err: Error) => {
    throw new FeedError(`UCC feed unreachable: ${err.message}`, null);
  });
  if (!res.ok) throw new FeedError(`UCC feed answered ${res.status}`, res.status);
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const tooLarge = () => new FeedError(`UCC feed page exceeds ${maxBytes} bytes`, res.status, true);
  if (Number(res.headers.get('content-length') ?? 0) > maxBytes) {
    await res.body?.cancel();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  for (let part = await reader?.read(); part && !part.done; part = await reader?.read()) {
    size += part.value.length;
    if (size > maxBytes) {
      await reader?.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(part.value);
  }
  return { body: Buffer.concat(chunks) };
}
