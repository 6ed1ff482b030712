/**
 * Client of the Government Contact Center's (UCC) feed of appeals for the region: plain HTTP,
 * `GET <feed>?after=<cursor>&limit=<n>` with a bearer token, answered by a 1207 `<AppealBatch>`
 * whose `cursor` attribute says where the next page starts. Transport only: no parsing of appeals.
 */
export interface FeedPage {
  /** The raw XML of the page, fed to the same reader as `POST /intake/gov-line`. */
  body: Buffer;
  /** The cursor after this page; equal to the one sent when nothing is new. */
  cursor: string | null;
}

export interface FeedClientOptions {
  feedUrl: string;
  token: string | null;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export class FeedError extends Error {
  override readonly name = 'FeedError';
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

const CURSOR_ATTR = /^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<AppealBatch\b[^>]*?\scursor="([^"]*)"/;

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
  const body = Buffer.from(await res.arrayBuffer());
  const head = body.subarray(0, 4096).toString('latin1');
  return { body, cursor: CURSOR_ATTR.exec(head)?.[1] ?? null };
}
