import { describe, expect, it } from 'vitest';
import { sevOvvAdapter } from './index.js';

const VALID = {
  url: 'http://sev-node.local:8080/sev/messages',
  orgCode: '00032684',
  sysId: 'MIA-SEV',
  timeoutMs: 5_000,
  concurrency: 2,
};

const problemsOf = (raw: unknown) => {
  const parsed = sevOvvAdapter.parseSettings(raw);
  return parsed.ok ? [] : parsed.problems;
};

describe('SEV OVV settings', () => {
  it('accepts valid settings, deriving the feed URL next to the message URL', () => {
    expect(sevOvvAdapter.parseSettings(VALID)).toEqual({
      ok: true,
      settings: { ...VALID, feedUrl: 'http://sev-node.local:8080/sev/feed' },
    });
  });

  it('fills in the timeout and the concurrency, and takes an explicit feed URL', () => {
    const parsed = sevOvvAdapter.parseSettings({
      url: VALID.url,
      feedUrl: 'https://bridge.local/statuses',
      orgCode: VALID.orgCode,
      sysId: VALID.sysId,
    });
    expect(parsed).toMatchObject({
      ok: true,
      settings: { feedUrl: 'https://bridge.local/statuses', timeoutMs: 10_000, concurrency: 4 },
    });
  });

  it.each([
    ['not an object', 'http://x', ''],
    ['no url', { ...VALID, url: undefined }, '/url'],
    ['a url that is not one', { ...VALID, url: 'sev-node/messages' }, '/url'],
    ['a url of another scheme', { ...VALID, url: 'ftp://sev-node/messages' }, '/url'],
    ['credentials in the url', { ...VALID, url: 'http://user:pw@sev-node/messages' }, '/url'],
    ['a bad feed url', { ...VALID, feedUrl: 42 }, '/feedUrl'],
    ['the code as a number', { ...VALID, orgCode: 32684 }, '/orgCode'],
    ['a code of 7 digits', { ...VALID, orgCode: '0032684' }, '/orgCode'],
    ['no system id', { ...VALID, sysId: ' ' }, '/sysId'],
    ['a timeout that is not whole', { ...VALID, timeoutMs: 1.5 }, '/timeoutMs'],
    ['a timeout of zero', { ...VALID, timeoutMs: 0 }, '/timeoutMs'],
    ['a concurrency too high', { ...VALID, concurrency: 1_000 }, '/concurrency'],
    ['a misspelt setting', { ...VALID, timeout: 5_000 }, '/timeout'],
  ])('names the problem with %s by its JSON pointer', (_, raw, pointer) => {
    const problems = problemsOf(raw);
    expect(problems.map((p) => p.pointer)).toEqual([pointer]);
    expect(problems[0]?.message).toMatch(/\w{3,}/);
  });

  it('lists every problem at once', () => {
    expect(problemsOf({ orgCode: 1 }).map((p) => p.pointer)).toEqual(['/url', '/orgCode', '/sysId']);
  });
});
